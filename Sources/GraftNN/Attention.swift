import Graft

/// Multi-head scaled dot-product attention (Vaswani et al. 2017, eq. 1 and section 3.2.2):
/// softmax(Q Kᵀ / sqrt(d_k) + mask) V per head, heads concatenated and projected.
/// Inputs are batch-first: query [B, Lq, D], key and value [B, Lk, D].
public final class MultiheadAttention: Module {
    /// Projections of queries, keys, values and the concatenated heads.
    public let queryProjection: Linear, keyProjection: Linear, valueProjection: Linear, outputProjection: Linear
    /// The model width D and the number of heads.
    public let embedDim: Int, heads: Int
    /// Dropout on the attention weights.
    public let dropout: Dropout

    /// Attention of width `embedDim` split into `heads` heads.
    public init(embedDim: Int, heads: Int, dropout: Float = 0, generator: RandomGenerator = .global) {
        precondition(heads > 0 && embedDim % heads == 0, "embedDim \(embedDim) must be divisible by heads \(heads)")
        self.embedDim = embedDim; self.heads = heads
        queryProjection = Linear(embedDim, embedDim, generator: generator)
        keyProjection = Linear(embedDim, embedDim, generator: generator)
        valueProjection = Linear(embedDim, embedDim, generator: generator)
        outputProjection = Linear(embedDim, embedDim, generator: generator)
        self.dropout = Dropout(dropout, generator: generator)
        super.init()
    }

    /// Attends from `query` to `key`/`value`. `keyPaddingMask` [B, Lk] is 1 where a key is
    /// padding (never attended to); `attentionMask` [Lq, Lk] is added to the scores (use
    /// -inf above the diagonal for causal attention). Returns the output [B, Lq, D] and the
    /// attention weights averaged over heads [B, Lq, Lk].
    public func callAsFunction(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil,
                               attentionMask: Tensor? = nil) -> (output: Tensor, weights: Tensor) {
        precondition(query.rank == 3 && key.rank == 3 && value.rank == 3 && query.shape[2] == embedDim,
                     "MultiheadAttention needs [B, L, \(embedDim)] inputs, got \(query.shape), \(key.shape), \(value.shape)")
        let (b, lq, lk) = (query.shape[0], query.shape[1], key.shape[1])
        let dk = embedDim / heads
        func split(_ t: Tensor, _ l: Int) -> Tensor { t.reshape([b, l, heads, dk]).permute(0, 2, 1, 3) }  // [B, H, L, dk]
        let q = split(queryProjection(query), lq) * (1 / Float(dk).squareRoot())
        let k = split(keyProjection(key), lk)
        let v = split(valueProjection(value), lk)
        var scores = matmul(q, k, transposeB: true)                                              // [B, H, Lq, Lk]
        if let attentionMask { scores = scores + attentionMask.reshape([1, 1, lq, lk]) }
        if let keyPaddingMask {
            let blocked = keyPaddingMask.reshape([b, 1, 1, lk]) * -1e9
            scores = scores + blocked
        }
        let weights = scores.softmax(axis: -1)
        let context = dropout(weights).matmul(v)                                                 // [B, H, Lq, dk]
        let merged = context.permute(0, 2, 1, 3).reshape([b, lq, embedDim])
        return (outputProjection(merged), weights.mean(axis: 1))
    }

    /// Self-attention.
    public func callAsFunction(_ x: Tensor, keyPaddingMask: Tensor? = nil, attentionMask: Tensor? = nil) -> Tensor {
        self(query: x, key: x, value: x, keyPaddingMask: keyPaddingMask, attentionMask: attentionMask).output
    }

    /// A [L, L] mask with -inf above the diagonal: position i attends to positions <= i.
    public static func causalMask(_ length: Int) -> Tensor {
        var values = [Float](repeating: 0, count: length * length)
        for i in 0..<length { for j in (i + 1)..<max(i + 1, length) { values[i * length + j] = -.infinity } }
        return Tensor(values, shape: [length, length])
    }
}

/// A Transformer encoder layer (Vaswani et al. 2017), post-norm like PyTorch's default:
/// x = LN(x + Dropout(SelfAttn(x))); x = LN(x + Dropout(FF(x))), FF = W₂ relu(W₁ x).
public final class TransformerEncoderLayer: Module, UnaryLayer {
    /// Self-attention.
    public let attention: MultiheadAttention
    /// The feed-forward block.
    public let linear1: Linear, linear2: Linear
    /// The two normalisations.
    public let norm1: LayerNorm, norm2: LayerNorm
    /// Dropout after attention and feed-forward.
    public let dropout: Dropout

    /// A layer of width `dModel` with `heads` heads and a feed-forward width `feedForward`.
    public init(dModel: Int, heads: Int, feedForward: Int = 2048, dropout: Float = 0.1, generator: RandomGenerator = .global) {
        attention = MultiheadAttention(embedDim: dModel, heads: heads, dropout: dropout, generator: generator)
        linear1 = Linear(dModel, feedForward, generator: generator)
        linear2 = Linear(feedForward, dModel, generator: generator)
        norm1 = LayerNorm(dModel)
        norm2 = LayerNorm(dModel)
        self.dropout = Dropout(dropout, generator: generator)
        super.init()
    }

    /// Applies the layer to [B, L, dModel], with an optional key padding mask [B, L].
    public func callAsFunction(_ x: Tensor, keyPaddingMask: Tensor?) -> Tensor {
        let a = norm1(x + dropout(attention(x, keyPaddingMask: keyPaddingMask)))
        return norm2(a + dropout(linear2(dropout(linear1(a).relu()))))
    }

    /// Applies the layer without a mask.
    public func callAsFunction(_ x: Tensor) -> Tensor { self(x, keyPaddingMask: nil) }
}
