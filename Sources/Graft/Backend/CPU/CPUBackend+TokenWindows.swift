/// The rollout scorer's token windows on the CPU backend: tables in huge pages, one GEMM per
/// width (`TokenWindowTables.makeTable`), and pooling by gathered row sums (`TokenWindowTables.pool`).
extension CPUBackend {
    /// One huge-page table per width, each made by one SGEMM.
    func tokenTables(embedding: [Float], vocabulary v: Int, dim e: Int, weights: [[Float]], widths: [Int], maps: [Int]) -> TokenTables {
        let buffers = zip(weights, zip(widths, maps)).map { weight, size in
            TokenWindowTables.makeTable(embedding: embedding, vocabulary: v, dim: e, weight: weight, width: size.0, maps: size.1)
        }
        return TokenTables(pointers: buffers.map(\.pointer), buffers: buffers)
    }

    /// Pooled features of whole sequences: rows of `ids`, no prefix.
    func tokenWindowFeatures(_ tables: TokenWindowTables, ids: [Int32], rows: Int, length l: Int) -> Tensor {
        tables.pool(rows: rows, length: l, given: 0) { r, out in
            for j in 0..<l { out[j] = ids[r * l + j] }
        } prefix: { _ in nil }
    }

    /// Pooled features of a shared prefix per sentence (summarised once) and completions.
    func tokenWindowFeatures(_ tables: TokenWindowTables, sentences prefixIds: [Int32], count b: Int, given: Int,
                             completions tailIds: [Int32], rows: Int, length l: Int) -> Tensor {
        let rest = l - given
        let summaries = WindowPrefixSummaries(tables: tables, tokens: prefixIds, sentences: b, length: l, given: given)
        return tables.pool(rows: rows, length: l, given: given) { r, out in
            let i = r % b
            for j in 0..<given { out[j] = prefixIds[i * l + j] }
            for j in 0..<rest { out[given + j] = tailIds[r * rest + j] }
        } prefix: { r in summaries.summary(r % b) }
    }
}
