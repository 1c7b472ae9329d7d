/// Pairwise rows and Float64 matrices on the CPU backend (`PairwiseDistanceKernel`,
/// `Float64GEMMKernel`): the metrics' distances, neighbours and covariances.
extension CPUBackend {
    /// Refined squared distances, block by block, copied into a fresh [n, m].
    func pairwiseSquaredDistances(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (n, m, d) = (a.shape[0], b.shape[0], a.shape[1])
        let out = Tensor(uninitializedShape: [n, m])
        let po = out.storage.pointer
        if d == 0 { po.update(repeating: 0, count: n * m) }
        PairwiseDistanceKernel.squaredDistances(a.storage.pointer, n, b.storage.pointer, m, d, refine: true) { rows, cols, block in
            for (i, r) in rows.enumerated() {
                (po + r * m + cols.lowerBound).update(from: block + i * cols.count, count: cols.count)
            }
        }
        return out
    }

    /// Each block's rows folded in parallel on `ThreadPool.shared` into `states`.
    func reducePairwiseRows<State>(_ a: Tensor, _ b: Tensor, measure: Tensor.PairwiseMeasure, states: inout [State],
                                   _ update: (inout State, Int, PairwiseLine) -> Void) {
        let (n, m, d) = (a.shape[0], b.shape[0], a.shape[1])
        states.withUnsafeMutableBufferPointer { sp in
            let base = sp.baseAddress!
            let visit = { (rows: Range<Int>, cols: Range<Int>, block: UnsafeMutablePointer<Float>) in
                ThreadPool.shared.parallelFor(rows.count) { i in
                    let row = rows.lowerBound + i
                    update(&base[row], row, PairwiseLine(base: block + i * cols.count, columns: cols))
                }
            }
            switch measure {
            case .squaredDistances: PairwiseDistanceKernel.squaredDistances(a.storage.pointer, n, b.storage.pointer, m, d, visit)
            case .refinedSquaredDistances:
                PairwiseDistanceKernel.squaredDistances(a.storage.pointer, n, b.storage.pointer, m, d, refine: true, visit)
            case .dots(let scale): PairwiseDistanceKernel.dots(a.storage.pointer, n, b.storage.pointer, m, d, alpha: scale, visit)
            }
        }
    }

    /// `Float64GEMMKernel.multiply`.
    func float64Multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        Float64GEMMKernel.multiply(a, b, m: m, k: k, n: n)
    }

    /// `Float64GEMMKernel.multiplyAdd`.
    func float64MultiplyAdd(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, into c: inout [Double], lowerOnly: Bool) {
        Float64GEMMKernel.multiplyAdd(a, b, m: m, k: k, n: n, into: &c, lowerOnly: lowerOnly)
    }

    /// `Float64GEMMKernel.transpose`.
    func float64Transpose(_ a: [Double], rows m: Int, cols n: Int) -> [Double] {
        Float64GEMMKernel.transpose(a, rows: m, cols: n)
    }
}
