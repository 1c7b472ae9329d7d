import Graft
import GraftNN

/// REINFORCE (Williams 1992) for sequences, the course's "weight each example by its reward":
/// ∇J = E[Σ_t (Q_t - b_t) ∇ log G(y_t | y_{<t})], estimated on sampled sequences. Subtracting a
/// baseline b leaves the expectation unchanged (E[b ∇ log G] = 0) and lowers the variance, and
/// makes rewards below average push probability down. SeqGAN (Yu et al. 2017, equation 8) uses
/// Q from the rollout with no baseline.
public enum PolicyGradient {
    /// The surrogate loss -mean_{b,t} (reward - baseline) · log G(y_t | y_{<t}) whose gradient is
    /// the REINFORCE estimate; `logProbabilities` [B, T] carries gradients, `advantages` [B, T]
    /// or [B] (one reward per sequence, broadcast over its tokens) does not.
    public static func loss(logProbabilities: Tensor, advantages: Tensor) -> Tensor {
        let a = advantages.rank == 1 && logProbabilities.rank == 2 ? advantages.unsqueeze(axis: 1) : advantages
        return -(logProbabilities * a.detach()).mean()
    }

    /// One REINFORCE update, shared by every policy-gradient trainer (SeqGAN's, the dialogue
    /// trainers'): the surrogate `loss(logProbabilities:advantages:)`, checked to be finite, then
    /// zeroed gradients, backward, the gradients of `clipping.parameters` scaled to a global norm of
    /// at most `clipping.maxNorm` when given, and `optimizer`'s step. Returns the surrogate's value;
    /// throws `PolicyGradientError.nonFiniteLoss` (before touching any gradient) when it is not finite.
    @discardableResult
    public static func step(logProbabilities: Tensor, advantages: Tensor, optimizer: Optimizer,
                            clipping: (parameters: [Tensor], maxNorm: Float)? = nil) throws -> Float {
        let surrogate = loss(logProbabilities: logProbabilities, advantages: advantages)
        let value = surrogate.item
        guard value.isFinite else { throw PolicyGradientError.nonFiniteLoss(value: value) }
        optimizer.zeroGrad()
        surrogate.backward()
        if let clipping { GradientClipping.clipNorm(clipping.parameters, maxNorm: clipping.maxNorm) }
        optimizer.step()
        return value
    }
}

/// Why a policy-gradient step stopped.
public enum PolicyGradientError: Error, Equatable, CustomStringConvertible {
    /// The surrogate loss was NaN or infinite; no parameter was changed.
    case nonFiniteLoss(value: Float)

    /// A message with the value.
    public var description: String {
        switch self {
        case let .nonFiniteLoss(value): return "the policy-gradient loss became \(value)"
        }
    }
}

/// An exponential moving average of rewards, the simplest baseline: b ← m b + (1 - m) mean(R).
public struct MovingAverageBaseline: Sendable {
    /// The weight of the old value.
    public let momentum: Double
    /// The current baseline (nil before the first update).
    public internal(set) var value: Double?

    /// A baseline with `momentum`.
    public init(momentum: Double = 0.9) {
        precondition(momentum >= 0 && momentum < 1, "the baseline's momentum must be in [0, 1), got \(momentum)")
        self.momentum = momentum
    }

    /// The advantages reward - b (b from before this batch; 0 the first time), then folds the
    /// batch's mean reward into b.
    public mutating func advantages(_ rewards: Tensor) -> Tensor {
        let mean = Double(rewards.mean().item)
        let b = value ?? mean
        value = momentum * b + (1 - momentum) * mean
        return rewards - Float(b)
    }
}
