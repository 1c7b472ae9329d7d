/// Max-over-time pooled convolutions over embedded tokens, computed as sums of gathered table rows.
///
/// A convolution over embedded tokens is linear in the embeddings, so the output of the window
/// of width w at position p is Σ_k T_{w,k}[y_{p+k}] + b_w with the token tables
/// T_{w,k} = E W_{w,k}ᵀ [V, maps_w] (one GEMM per width when the tables are made): a window
/// costs w row additions instead of a (w·E) × maps product. Scoring only (no gradient); the
/// weights are copied, so later changes to the source tensors do not change the tables.
public final class TokenWindowTables: @unchecked Sendable {
    /// Tokens 0..<vocabulary.
    public let vocabulary: Int
    /// Window widths, in feature order.
    public let widths: [Int]
    /// Feature maps per width.
    public let maps: [Int]
    /// Pooled features (Σ maps).
    public let features: Int
    /// First feature of each width.
    let offsets: [Int]
    /// Per width, the table [V, w, maps]: element (v, k, m) is Σ_e E[v, e] W[m, 0, k, e], in the
    /// backend's memory (huge pages where the system has them, since rows are read at random).
    let tables: TokenTables
    /// The backend that made the tables and pools with them.
    let backend: any Backend
    /// Convolution biases [features].
    let convolutionBias: [Float]

    /// Tables from an embedding [V, E] and convolution weights [maps, 1, w, E] (stride 1, no
    /// padding, each spanning the whole embedding) with their biases [maps] (nil: zero).
    public init(embedding: Tensor, convolutionWeights: [Tensor], biases: [Tensor?]) {
        precondition(embedding.rank == 2, "TokenWindowTables needs an embedding table [V, E], got \(embedding.shape)")
        precondition(!convolutionWeights.isEmpty && biases.count == convolutionWeights.count,
                     "TokenWindowTables needs one bias (or nil) per convolution, got \(convolutionWeights.count) and \(biases.count)")
        let (v, e) = (embedding.shape[0], embedding.shape[1])
        var widths: [Int] = [], maps: [Int] = [], offsets: [Int] = [], bias: [Float] = []
        for (i, weight) in convolutionWeights.enumerated() {
            let s = weight.shape
            precondition(s.count == 4 && s[1] == 1 && s[3] == e,
                         "TokenWindowTables: convolution \(i) must be [maps, 1, width, \(e)], got \(s)")
            offsets.append(maps.reduce(0, +))
            widths.append(s[2])
            maps.append(s[0])
            bias += biases[i]?.scalars ?? [Float](repeating: 0, count: s[0])
        }
        vocabulary = v
        self.widths = widths
        self.maps = maps
        features = maps.reduce(0, +)
        self.offsets = offsets
        convolutionBias = bias
        backend = embedding.backend
        tables = backend.tokenTables(embedding: embedding.scalars, vocabulary: v, dim: e, weights: convolutionWeights.map(\.scalars),
                                     widths: widths, maps: maps)
    }

    /// The pooled features [B, F] of token sequences [B, L]: per width,
    /// relu(max_p Σ_k T_{w,k}[y_{p+k}] + b_w).
    public func pooledFeatures(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2, "TokenWindowTables needs token sequences [B, L], got \(tokens.shape)")
        let (b, l) = (tokens.shape[0], tokens.shape[1])
        checkLength(l)
        return backend.tokenWindowFeatures(self, ids: tokenIndices(tokens), rows: b, length: l)
    }

    /// The pooled features [N·B, F] of the sequences whose first `given` tokens are those of
    /// `sentences` [B, L] and whose other L - given tokens are `completions` [N·B, L - given]:
    /// row r·B + i is sentences[i, 0..<given] followed by completions[r·B + i]. Equal to
    /// `pooledFeatures` of the assembled sequences, bit for bit; the windows inside the prefix,
    /// and the prefix parts of the windows that cross it, are summed once per sentence.
    public func pooledFeatures(sentences: Tensor, given: Int, completions: Tensor) -> Tensor {
        precondition(sentences.rank == 2 && completions.rank == 2,
                     "TokenWindowTables needs sentences [B, L] and completions [N·B, L - given], got \(sentences.shape) and \(completions.shape)")
        let (b, l) = (sentences.shape[0], sentences.shape[1])
        let rows = completions.shape[0]
        precondition(given >= 0 && given <= l && completions.shape[1] == l - given && b > 0 && rows % b == 0,
                     "TokenWindowTables: completions \(completions.shape) do not continue \(b) sentences of length \(l) after \(given) tokens")
        checkLength(l)
        return backend.tokenWindowFeatures(self, sentences: tokenIndices(sentences), count: b, given: given,
                                           completions: tokenIndices(completions), rows: rows, length: l)
    }

    /// Stops with a message when a window is wider than the sequences.
    func checkLength(_ l: Int) {
        guard let widest = widths.max(), widest <= l else {
            preconditionFailure("TokenWindowTables: a window of width \(widths.max() ?? 0) does not fit sequences of length \(l)")
        }
    }

    /// The tokens of `t` as Int32 indices, each checked to lie in 0..<vocabulary.
    func tokenIndices(_ t: Tensor) -> [Int32] {
        t.scalars.enumerated().map { i, x in
            guard x >= 0, x < Float(vocabulary), x == x.rounded() else {
                preconditionFailure("TokenWindowTables: token \(x) at flat index \(i) of \(t.shape) is not in 0..<\(vocabulary)")
            }
            return Int32(x)
        }
    }
}
