import Graft

/// Batch normalisation (Ioffe and Szegedy 2015) over the channel axis 1 of [N, C, ...]:
/// y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, with batch statistics in training
/// mode and running averages (momentum 0.1, unbiased variance) in evaluation mode.
public class BatchNorm: Module, UnaryLayer {
    /// The scale, [C].
    public var weight: Tensor?
    /// The shift, [C].
    public var bias: Tensor?
    /// Running mean of the batch means.
    @Buffer public var runningMean: Tensor?
    /// Running mean of the (unbiased) batch variances.
    @Buffer public var runningVar: Tensor?
    /// The number of channels.
    public let features: Int
    /// Added to the variance for stability.
    public let eps: Float
    /// The weight of a new batch in the running statistics.
    public let momentum: Float
    let expectedRanks: Set<Int>

    init(features: Int, eps: Float, momentum: Float, affine: Bool, trackRunningStats: Bool, ranks: Set<Int>) {
        precondition(features > 0, "BatchNorm needs a positive number of features, got \(features)")
        self.features = features; self.eps = eps; self.momentum = momentum; self.expectedRanks = ranks
        weight = affine ? Init.ones([features]) : nil
        bias = affine ? Init.zeros([features]) : nil
        super.init()
        if trackRunningStats {
            runningMean = Tensor.zeros([features])
            runningVar = Tensor.ones([features])
        }
    }

    /// Normalises each channel.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(expectedRanks.contains(x.rank) && x.shape[1] == features,
                     "\(type(of: self)) with \(features) features cannot take input of shape \(x.shape)")
        let axes = [0] + Array(2..<x.rank)
        var statShape = [Int](repeating: 1, count: x.rank)
        statShape[1] = features
        let normalized: Tensor
        if isTraining || runningMean == nil {
            let n = x.count / features
            precondition(!isTraining || n > 1, "\(type(of: self)) needs more than one value per channel in training mode, got input \(x.shape)")
            let mean = x.mean(axes: axes, keepDims: true)
            let centered = x - mean
            let variance = centered.square().mean(axes: axes, keepDims: true)
            normalized = centered / (variance + eps).sqrt()
            if isTraining, let rm = runningMean, let rv = runningVar {
                noGrad {
                    let unbiased = variance.reshape([features]) * (Float(n) / Float(Swift.max(n - 1, 1)))
                    rm.assign(rm * (1 - momentum) + mean.reshape([features]) * momentum)
                    rv.assign(rv * (1 - momentum) + unbiased * momentum)
                }
            }
        } else {
            normalized = (x - runningMean!.reshape(statShape)) / (runningVar!.reshape(statShape) + eps).sqrt()
        }
        guard let weight, let bias else { return normalized }
        return normalized * weight.reshape(statShape) + bias.reshape(statShape)
    }
}

/// Batch normalisation for [N, C] or [N, C, L].
public final class BatchNorm1d: BatchNorm {
    /// A layer for `features` channels.
    public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true, trackRunningStats: Bool = true) {
        super.init(features: features, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats, ranks: [2, 3])
    }
}

/// Batch normalisation for [N, C, H, W].
public final class BatchNorm2d: BatchNorm {
    /// A layer for `features` channels.
    public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true, trackRunningStats: Bool = true) {
        super.init(features: features, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats, ranks: [4])
    }
}

/// Layer normalisation (Ba, Kiros and Hinton 2016) over the trailing axes `normalizedShape`.
public final class LayerNorm: Module, UnaryLayer {
    /// The scale, normalizedShape.
    public var weight: Tensor?
    /// The shift, normalizedShape.
    public var bias: Tensor?
    /// The trailing shape normalised over.
    public let normalizedShape: [Int]
    /// Added to the variance for stability.
    public let eps: Float

    /// A layer normalising the last axes of shape `normalizedShape`.
    public init(_ normalizedShape: [Int], eps: Float = 1e-5, elementwiseAffine: Bool = true) {
        precondition(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 }, "LayerNorm needs a non-empty positive shape")
        self.normalizedShape = normalizedShape; self.eps = eps
        weight = elementwiseAffine ? Init.ones(normalizedShape) : nil
        bias = elementwiseAffine ? Init.zeros(normalizedShape) : nil
        super.init()
    }

    /// A layer normalising the last axis of size `features`.
    public convenience init(_ features: Int, eps: Float = 1e-5) { self.init([features], eps: eps) }

    /// Normalises the trailing axes.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(Array(x.shape.suffix(normalizedShape.count)) == normalizedShape,
                     "LayerNorm over \(normalizedShape) cannot take input of shape \(x.shape)")
        let axes = Array((x.rank - normalizedShape.count)..<x.rank)
        let centered = x - x.mean(axes: axes, keepDims: true)
        let variance = centered.square().mean(axes: axes, keepDims: true)
        let y = centered / (variance + eps).sqrt()
        guard let weight, let bias else { return y }
        return y * weight + bias
    }
}
