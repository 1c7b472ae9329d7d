import Foundation
import Graft
import GraftNN

/// A frozen, scoring-only copy of a CNN sequence discriminator (`SequenceDiscriminator`, or the
/// TextGAN variant whose highway uses one linear map for gate and candidate), for scoring the
/// many sequences of SeqGAN's Monte-Carlo rollouts.
///
/// A convolution over embedded tokens is linear in the embeddings, so the output of the window
/// of width w at position p is Σ_k T_{w,k}[y_{p+k}] + b_w with the token tables
/// T_{w,k} = E W_{w,k}ᵀ [V, maps_w] (one GEMM per width when the scorer is made, V · Σ_w w·maps_w
/// floats): a window costs w row additions instead of a (w·E) × maps product. When sequences
/// share a prefix (the N rollouts of one prefix length), the windows inside the prefix, and the
/// prefix parts of the windows that reach into the sampled tokens, are added once per sentence
/// (`rolloutProbabilities`). Max-over-time pooling, the highway layer (one GEMM for all rows) and
/// the head then run as in the discriminator, in evaluation mode (no dropout). The weights are
/// copied: later training of the discriminator does not change the scorer.
public final class FrozenSequenceScorer {
    /// How the highway layer mixes the pooled features f.
    public enum Highway {
        /// τ = σ(W_T f + b_T), f̃ = τ ⊙ relu(W_H f + b_H) + (1 - τ) ⊙ f (the paper's, `SequenceDiscriminator`).
        case gated(gate: Linear, candidate: Linear)
        /// h = W f + b, τ = σ(h), f̃ = τ ⊙ relu(h) + (1 - τ) ⊙ f (TextGAN's SeqGAN discriminator).
        case shared(Linear)
    }

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
    /// Per width, the table [V, w, maps]: element (v, k, m) is Σ_e E[v, e] W[m, 0, k, e].
    let tables: [UnsafeMutablePointer<Float>]
    /// The tables' memory: huge pages where the system has them, since rows are read at random.
    let tableBuffers: [HugePageBuffer]
    /// Convolution biases [features].
    let convolutionBias: [Float]
    /// Highway weights, transposed: [features, outputs] (gate columns then candidate columns when
    /// gated), so that the GEMM packs them with a plain copy; and biases [outputs].
    let highwayWeight: [Float], highwayBias: [Float]
    /// Whether the highway has separate gate and candidate maps.
    let gated: Bool
    /// The head's weight [features] and bias: logit = head · f̃ + bias.
    let headWeight: [Float], headBias: Float

    /// A scorer from an embedding table [V, E], convolutions with weights [maps, 1, w, E] (stride
    /// 1, no padding, each spanning the whole embedding), the highway and a head whose logit
    /// `headWeight` [features] · f̃ + `headBias` gives D = σ(logit). A two-class head with softmax
    /// output (TextGAN) is the difference of its rows: weight w₁ - w₀, bias b₁ - b₀.
    public init(embedding: Tensor, convolutions: [Conv2d], highway: Highway, headWeight: Tensor, headBias: Float) {
        precondition(embedding.rank == 2, "FrozenSequenceScorer needs an embedding table [V, E], got \(embedding.shape)")
        precondition(!convolutions.isEmpty, "FrozenSequenceScorer needs at least one convolution")
        let (v, e) = (embedding.shape[0], embedding.shape[1])
        var widths: [Int] = [], maps: [Int] = [], offsets: [Int] = [], bias: [Float] = []
        for (i, conv) in convolutions.enumerated() {
            let s = conv.weight.shape
            precondition(s.count == 4 && s[1] == 1 && s[3] == e && conv.stride == (1, 1) && conv.padding == (0, 0)
                         && conv.dilation == (1, 1),
                         "FrozenSequenceScorer: convolution \(i) must be [maps, 1, width, \(e)] with stride 1 and no padding, got \(s)")
            offsets.append(maps.reduce(0, +))
            widths.append(s[2])
            maps.append(s[0])
            bias += conv.bias?.scalars ?? [Float](repeating: 0, count: s[0])
        }
        let f = maps.reduce(0, +)
        let layers: [Linear]
        switch highway {
        case .gated(let gate, let candidate): layers = [gate, candidate]
        case .shared(let layer): layers = [layer]
        }
        for layer in layers {
            precondition(layer.weight.shape == [f, f], "FrozenSequenceScorer: the highway maps must be [\(f), \(f)], got \(layer.weight.shape)")
        }
        precondition(headWeight.count == f, "FrozenSequenceScorer: the head needs \(f) weights, got \(headWeight.count)")
        self.vocabulary = v
        self.widths = widths
        self.maps = maps
        self.features = f
        self.offsets = offsets
        convolutionBias = bias
        let stacked = layers.flatMap { $0.weight.scalars }, outputs = stacked.count / f
        var transposed = [Float](repeating: 0, count: stacked.count)
        for o in 0..<outputs {
            for i in 0..<f { transposed[i * outputs + o] = stacked[o * f + i] }
        }
        highwayWeight = transposed
        highwayBias = layers.flatMap { $0.bias?.scalars ?? [Float](repeating: 0, count: f) }
        if case .gated = highway { gated = true } else { gated = false }
        self.headWeight = headWeight.scalars
        self.headBias = headBias

        // T_w [V, w·maps] = E [V, E] × B_w [E, w·maps], B_w[e, k·maps + m] = W[m, 0, k, e].
        let table = embedding.scalars
        tableBuffers = zip(convolutions, zip(widths, maps)).map { conv, size in
            let (w, m) = size
            let weight = conv.weight.scalars
            var b = [Float](repeating: 0, count: e * w * m)
            for mi in 0..<m {
                for k in 0..<w {
                    for ei in 0..<e { b[ei * w * m + k * m + mi] = weight[(mi * w + k) * e + ei] }
                }
            }
            let buffer = HugePageBuffer(count: v * w * m), t = buffer.pointer
            table.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { bp in
                    sgemm(transA: false, transB: false, m: v, n: w * m, k: e, alpha: 1, a: a.baseAddress!, lda: e,
                          b: bp.baseAddress!, ldb: w * m, beta: 0, c: t, ldc: w * m)
                }
            }
            return buffer
        }
        tables = tableBuffers.map(\.pointer)
    }

    /// D(Y): the probability [B] that each token sequence [B, L] is real.
    public func probabilityReal(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2, "FrozenSequenceScorer needs token sequences [B, L], got \(tokens.shape)")
        let (b, l) = (tokens.shape[0], tokens.shape[1])
        checkLength(l)
        let ids = tokenIndices(tokens)
        return score(rows: b, length: l, given: 0) { r, out in
            for j in 0..<l { out[j] = ids[r * l + j] }
        } prefix: { _ in nil }
    }

    /// D's probabilities [N·B] of the sequences whose first `given` tokens are those of
    /// `sentences` [B, L] and whose other L - given tokens are `completions` [N·B, L - given]:
    /// row r·B + i is sentences[i, 0..<given] followed by completions[r·B + i] (the layout of
    /// `MonteCarloRollout`). Equal to `probabilityReal` of the assembled sequences; the prefix
    /// windows are computed once per sentence.
    public func rolloutProbabilities(sentences: Tensor, given: Int, completions: Tensor) -> Tensor {
        precondition(sentences.rank == 2 && completions.rank == 2,
                     "FrozenSequenceScorer.rolloutProbabilities needs sentences [B, L] and completions [N·B, L - given], got \(sentences.shape) and \(completions.shape)")
        let (b, l) = (sentences.shape[0], sentences.shape[1])
        let rows = completions.shape[0]
        precondition(given >= 0 && given <= l && completions.shape[1] == l - given && b > 0 && rows % b == 0,
                     "FrozenSequenceScorer.rolloutProbabilities: completions \(completions.shape) do not continue \(b) sentences of length \(l) after \(given) tokens")
        checkLength(l)
        let prefixIds = tokenIndices(sentences), tailIds = tokenIndices(completions)
        let rest = l - given
        let summaries = PrefixSummaries(scorer: self, tokens: prefixIds, sentences: b, length: l, given: given)
        return score(rows: rows, length: l, given: given) { r, out in
            let i = r % b
            for j in 0..<given { out[j] = prefixIds[i * l + j] }
            for j in 0..<rest { out[given + j] = tailIds[r * rest + j] }
        } prefix: { r in summaries.summary(r % b) }
    }

    // MARK: Internals

    /// Stops with a message when a window is wider than the sequences.
    func checkLength(_ l: Int) {
        guard let widest = widths.max(), widest <= l else {
            preconditionFailure("FrozenSequenceScorer: a window of width \(widths.max() ?? 0) does not fit sequences of length \(l)")
        }
    }

    /// The tokens of `t` as Int32 indices, each checked to lie in 0..<vocabulary.
    func tokenIndices(_ t: Tensor) -> [Int32] {
        t.scalars.enumerated().map { i, x in
            guard x >= 0, x < Float(vocabulary), x == x.rounded() else {
                preconditionFailure("FrozenSequenceScorer: token \(x) at flat index \(i) of \(t.shape) is not in 0..<\(vocabulary)")
            }
            return Int32(x)
        }
    }

    /// Scores `rows` sequences of `length` tokens: `fill(r, buffer)` writes row r's tokens,
    /// `prefix(r)` gives the summary of its first `given` tokens (nil when given is 0).
    func score(rows: Int, length l: Int, given: Int, fill: (Int, UnsafeMutablePointer<Int32>) -> Void,
               prefix: (Int) -> UnsafePointer<Float>?) -> Tensor {
        let f = features
        let pooled = UnsafeMutablePointer<Float>.allocate(capacity: rows * f)
        let ids = UnsafeMutablePointer<Int32>.allocate(capacity: rows * l)
        defer { pooled.deallocate(); ids.deallocate() }
        for r in 0..<rows { fill(r, ids + r * l) }
        // Where each width's crossing-window sums start in a prefix summary.
        var partialOffsets: [Int] = [], offset = f
        for (wi, w) in widths.enumerated() {
            partialOffsets.append(offset)
            offset += max(0, min(given, l - w + 1) - max(0, given - w + 1)) * maps[wi]
        }
        ThreadPool.shared.parallelChunks(total: rows, minChunk: 4) { range in
            let rowPointers = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: widths.max()!)
            defer { rowPointers.deallocate() }
            // Width by width, so that one width's table (at most V·w·maps floats) serves all
            // the rows while it is in cache.
            for wi in widths.indices {
                for r in range {
                    pool(width: wi, ids + r * l, length: l, given: given, prefix: prefix(r),
                         partialOffset: partialOffsets[wi], rows: rowPointers, into: pooled + r * f)
                }
            }
        }
        return classify(pooled: pooled, rows: rows)
    }

    /// One width's max-over-time pooled features, relu(max_p window + bias), of one sequence
    /// into `out` [F] at the width's offset. With a prefix summary, only the windows that reach
    /// position `given` or later are added here.
    @inline(__always)
    func pool(width wi: Int, _ ids: UnsafePointer<Int32>, length l: Int, given g: Int, prefix: UnsafePointer<Float>?,
              partialOffset: Int, rows: UnsafeMutablePointer<UnsafePointer<Float>>, into out: UnsafeMutablePointer<Float>) {
        let w = widths[wi], m = maps[wi], o = offsets[wi], table = tables[wi]
        let mx = out + o
        if let prefix { mx.update(from: prefix + o, count: m) } else { mx.update(repeating: -.infinity, count: m) }
        let first = max(0, g - w + 1)
        for p in first..<max(first, l - w + 1) {
            let k0 = max(0, g - p)
            for k in k0..<w { rows[k - k0] = UnsafePointer(table + (Int(ids[p + k]) * w + k) * m) }
            let base = p < g ? prefix.map { $0 + partialOffset + (p - first) * m } : nil
            Self.addRows(rows, w - k0, base: base, count: m, maxInto: mx)
        }
        convolutionBias.withUnsafeBufferPointer { b in
            let bias = b.baseAddress! + o
            for j in 0..<m { mx[j] = max(mx[j] + bias[j], 0) }
        }
    }

    /// dst = max(dst, base + Σ rows) over `count` floats (base zero when nil).
    @inline(__always)
    static func addRows(_ rows: UnsafePointer<UnsafePointer<Float>>, _ n: Int, base: UnsafePointer<Float>?, count: Int,
                        maxInto dst: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 8 <= count {
            var s = base.map { UnsafeRawPointer($0 + j).loadUnaligned(as: SIMD8<Float>.self) } ?? SIMD8<Float>()
            for r in 0..<n { s += UnsafeRawPointer(rows[r] + j).loadUnaligned(as: SIMD8<Float>.self) }
            let d = UnsafeMutableRawPointer(dst + j)
            let old = d.loadUnaligned(as: SIMD8<Float>.self)
            d.storeBytes(of: s.replacing(with: old, where: old .> s), as: SIMD8<Float>.self)
            j += 8
        }
        while j < count {
            var s: Float = base?[j] ?? 0
            for r in 0..<n { s += rows[r][j] }
            dst[j] = max(dst[j], s)
            j += 1
        }
    }

    /// dst = base + Σ rows over `count` floats (base zero when nil).
    @inline(__always)
    static func sumRows(_ rows: UnsafePointer<UnsafePointer<Float>>, _ n: Int, count: Int, into dst: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 8 <= count {
            var s = SIMD8<Float>()
            for r in 0..<n { s += UnsafeRawPointer(rows[r] + j).loadUnaligned(as: SIMD8<Float>.self) }
            UnsafeMutableRawPointer(dst + j).storeBytes(of: s, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count {
            var s: Float = 0
            for r in 0..<n { s += rows[r][j] }
            dst[j] = s
            j += 1
        }
    }

    /// The highway and head on pooled features [rows, F]: D's probabilities [rows].
    func classify(pooled: UnsafeMutablePointer<Float>, rows: Int) -> Tensor {
        let f = features, outputs = gated ? 2 * f : f
        let mixed = UnsafeMutablePointer<Float>.allocate(capacity: rows * outputs)
        defer { mixed.deallocate() }
        highwayWeight.withUnsafeBufferPointer { w in
            sgemm(transA: false, transB: false, m: rows, n: outputs, k: f, alpha: 1, a: pooled, lda: f,
                  b: w.baseAddress!, ldb: outputs, beta: 0, c: mixed, ldc: outputs)
        }
        var probabilities = [Float](repeating: 0, count: rows)
        probabilities.withUnsafeMutableBufferPointer { out in
            let result = out.baseAddress!
            highwayBias.withUnsafeBufferPointer { hb in
                headWeight.withUnsafeBufferPointer { hw in
                    ThreadPool.shared.parallelChunks(total: rows, minChunk: 16) { range in
                        let gate = UnsafeMutablePointer<Float>.allocate(capacity: f)
                        defer { gate.deallocate() }
                        for r in range {
                            let x = pooled + r * f, h = mixed + r * outputs
                            for j in 0..<outputs { h[j] += hb[j] }
                            let candidate = gated ? h + f : h
                            VectorMath.sigmoid(h, gate, count: f)
                            var logit: Float = 0
                            for j in 0..<f {
                                let t = gate[j]
                                logit += hw[j] * (t * max(candidate[j], 0) + (1 - t) * x[j])
                            }
                            result[r] = 1 / (1 + Foundation.exp(-(logit + headBias)))
                        }
                    }
                }
            }
        }
        return Tensor(probabilities, shape: [rows])
    }
}

/// Per sentence, the part of the pooled features that its first `given` tokens determine: the
/// maxima [F] of the windows inside the prefix (-inf where none), then for each width the sums
/// of the prefix tokens of the windows that cross position `given` ([count, maps] per width).
final class PrefixSummaries {
    /// Floats per sentence.
    let stride: Int
    /// [sentences, stride].
    let storage: UnsafeMutablePointer<Float>

    /// Summaries of the first `given` tokens of each of `sentences` rows of `tokens` [B, length].
    init(scorer s: FrozenSequenceScorer, tokens: [Int32], sentences b: Int, length l: Int, given g: Int) {
        var stride = s.features
        for (wi, w) in s.widths.enumerated() { stride += max(0, min(g, l - w + 1) - max(0, g - w + 1)) * s.maps[wi] }
        self.stride = stride
        storage = UnsafeMutablePointer<Float>.allocate(capacity: max(1, b * stride))
        let base = storage
        tokens.withUnsafeBufferPointer { ids in
            ThreadPool.shared.parallelChunks(total: b, minChunk: 1) { range in
                let rows = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: s.widths.max()!)
                defer { rows.deallocate() }
                for i in range {
                    let out = base + i * stride, tok = ids.baseAddress! + i * l
                    var partialOffset = s.features
                    for (wi, w) in s.widths.enumerated() {
                        let m = s.maps[wi], table = s.tables[wi], mx = out + s.offsets[wi]
                        mx.update(repeating: -.infinity, count: m)
                        // Windows wholly inside the prefix: p + w <= g.
                        if g - w >= 0 {
                            for p in 0...(g - w) {
                                for k in 0..<w { rows[k] = UnsafePointer(table + (Int(tok[p + k]) * w + k) * m) }
                                FrozenSequenceScorer.addRows(rows, w, base: nil, count: m, maxInto: mx)
                            }
                        }
                        // Windows that start in the prefix and end after it: their first g - p tokens.
                        let first = max(0, g - w + 1), end = min(g, l - w + 1)
                        if first < end {
                            for p in first..<end {
                                for k in 0..<(g - p) { rows[k] = UnsafePointer(table + (Int(tok[p + k]) * w + k) * m) }
                                FrozenSequenceScorer.sumRows(rows, g - p, count: m, into: out + partialOffset + (p - first) * m)
                            }
                            partialOffset += (end - first) * m
                        }
                    }
                }
            }
        }
    }

    deinit { storage.deallocate() }

    /// Sentence i's summary.
    func summary(_ i: Int) -> UnsafePointer<Float> { UnsafePointer(storage + i * stride) }
}
