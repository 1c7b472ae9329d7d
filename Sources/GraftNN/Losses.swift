import Graft

/// Loss functions, like `torch.nn.functional`'s, each with a `reduction`.
public enum Loss {
    static func reduce(_ t: Tensor, _ reduction: Reduction) -> Tensor {
        switch reduction {
        case .none: return t
        case .sum: return t.sum()
        case .mean: return t.mean()
        }
    }

    static func sameShape(_ a: Tensor, _ b: Tensor, _ op: String) {
        precondition(a.shape == b.shape, "\(op): prediction of shape \(a.shape) and target of shape \(b.shape) differ")
    }

    /// Cross-entropy from logits [..., C] and whole-number class targets [...].
    public static func crossEntropy(_ logits: Tensor, _ targets: Tensor, labelSmoothing: Float = 0,
                                    ignoreIndex: Int? = nil, reduction: Reduction = .mean) -> Tensor {
        Tensor.crossEntropy(logits: logits, targets: targets, labelSmoothing: labelSmoothing, ignoreIndex: ignoreIndex, reduction: reduction)
    }

    /// Cross-entropy from logits [..., C] against target probabilities [..., C].
    public static func crossEntropy(_ logits: Tensor, probabilities: Tensor, reduction: Reduction = .mean) -> Tensor {
        Tensor.crossEntropy(logits: logits, targetProbabilities: probabilities, reduction: reduction)
    }

    /// Negative log-likelihood of log-probabilities [..., C] at class targets [...].
    public static func nll(_ logProbs: Tensor, _ targets: Tensor, ignoreIndex: Int? = nil, reduction: Reduction = .mean) -> Tensor {
        Tensor.nllLoss(logProbs: logProbs, targets: targets, ignoreIndex: ignoreIndex, reduction: reduction)
    }

    /// Binary cross-entropy of probabilities p against targets z: -(z log p + (1-z) log(1-p)),
    /// with the logarithms clamped at -100 like PyTorch.
    public static func binaryCrossEntropy(_ p: Tensor, _ z: Tensor, reduction: Reduction = .mean) -> Tensor {
        sameShape(p, z, "binaryCrossEntropy")
        let logP = maximum(p.log(), Tensor(-100)), log1mP = maximum((1 - p).log(), Tensor(-100))
        return reduce(-(z * logP + (1 - z) * log1mP), reduction)
    }

    /// Binary cross-entropy from logits, computed stably.
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor, reduction: Reduction = .mean) -> Tensor {
        Tensor.binaryCrossEntropyWithLogits(logits: logits, targets: targets, reduction: reduction)
    }

    /// Mean squared error.
    public static func mse(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        sameShape(prediction, target, "mse")
        return reduce((prediction - target).square(), reduction)
    }

    /// Mean absolute error.
    public static func l1(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        sameShape(prediction, target, "l1")
        return reduce((prediction - target).abs(), reduction)
    }

    /// Huber-style smooth L1: 0.5 d²/β where |d| < β, |d| - 0.5 β elsewhere.
    public static func smoothL1(_ prediction: Tensor, _ target: Tensor, beta: Float = 1, reduction: Reduction = .mean) -> Tensor {
        sameShape(prediction, target, "smoothL1")
        let d = (prediction - target).abs()
        let quadratic = d.square() * (0.5 / beta), linear = d - 0.5 * beta
        return reduce(Tensor.where(d.lt(beta), quadratic, linear), reduction)
    }

    /// KL(target || model) with the model given as log-probabilities and the target as
    /// probabilities (PyTorch's kl_div): Σ p (log p - log q). `batchMean` divides by the batch size.
    public static func klDivergence(logProbs: Tensor, target p: Tensor, reduction: Reduction = .mean, batchMean: Bool = false) -> Tensor {
        sameShape(logProbs, p, "klDivergence")
        let safeLogP = Tensor.where(p.gt(0), p.detach().clamp(min: 1e-30).log(), Tensor(0))
        let terms = p * (safeLogP - logProbs)
        if batchMean { return terms.sum() / Float(max(p.shape.first ?? 1, 1)) }
        return reduce(terms, reduction)
    }

    /// Cosine embedding loss: 1 - cos(a, b) for pairs labelled 1, max(0, cos(a, b) - margin)
    /// for pairs labelled -1; rows of [N, D].
    public static func cosineEmbedding(_ a: Tensor, _ b: Tensor, labels: Tensor, margin: Float = 0, reduction: Reduction = .mean) -> Tensor {
        sameShape(a, b, "cosineEmbedding")
        let cos = cosineSimilarity(a, b)
        let positive = 1 - cos, negative = (cos - margin).relu()
        return reduce(Tensor.where(labels.gt(0), positive, negative), reduction)
    }

    /// Cosine similarity of matching rows along the last axis.
    public static func cosineSimilarity(_ a: Tensor, _ b: Tensor, eps: Float = 1e-8) -> Tensor {
        let dot = (a * b).sum(axis: -1)
        return dot / maximum(a.norm(axes: [-1]) * b.norm(axes: [-1]), Tensor(eps))
    }

    /// The hinge rank loss of DeViSE (Frome et al. 2013, eq. 1): for each image embedding
    /// v [N, D] with true label row t and every other label row j of `labelEmbeddings` [C, D],
    /// Σ_j max(0, margin - t·v + j·v).
    public static func hingeRank(_ v: Tensor, labelEmbeddings: Tensor, targets: Tensor, margin: Float = 0.1,
                                 reduction: Reduction = .mean) -> Tensor {
        let scores = matmul(v, labelEmbeddings, transposeB: true)                        // [N, C]
        let trueScore = scores.gather(axis: 1, index: targets.reshape([-1, 1]))           // [N, 1]
        let violations = (scores - trueScore + margin).relu()
        let notTrue = 1 - Tensor.oneHot(targets, classes: labelEmbeddings.shape[0])
        return reduce((violations * notTrue).sum(axis: 1), reduction)
    }
}
