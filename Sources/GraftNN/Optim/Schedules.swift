import Foundation
import Graft

/// A learning-rate schedule: the factor applied to each group's initial rate at a step.
public protocol LearningRateSchedule {
    /// The multiplier of the initial learning rate after `step` scheduler steps.
    func factor(at step: Int) -> Float
}

/// Multiplies the rate by `gamma` every `stepSize` steps (PyTorch's StepLR).
public struct StepSchedule: LearningRateSchedule {
    /// Steps between decays, and the decay.
    public let stepSize: Int, gamma: Float
    /// A step schedule.
    public init(stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "stepSize must be positive, got \(stepSize)")
        self.stepSize = stepSize; self.gamma = gamma
    }
    /// gamma^(step / stepSize).
    public func factor(at step: Int) -> Float { Float(pow(Double(gamma), Double(step / stepSize))) }
}

/// Cosine annealing from the initial rate to `minFactor` times it over `period` steps
/// (Loshchilov and Hutter 2017, without restarts).
public struct CosineSchedule: LearningRateSchedule {
    /// Steps to the minimum, and the minimum as a fraction of the initial rate.
    public let period: Int, minFactor: Float
    /// A cosine schedule.
    public init(period: Int, minFactor: Float = 0) {
        precondition(period > 0, "period must be positive, got \(period)")
        self.period = period; self.minFactor = minFactor
    }
    /// minFactor + (1 - minFactor)(1 + cos(π t / T))/2, constant after T.
    public func factor(at step: Int) -> Float {
        let t = Double(min(step, period)) / Double(period)
        return minFactor + (1 - minFactor) * Float((1 + cos(Double.pi * t)) / 2)
    }
}

/// Multiplies the rate by `gamma` every step.
public struct ExponentialSchedule: LearningRateSchedule {
    /// The per-step decay.
    public let gamma: Float
    /// An exponential schedule.
    public init(gamma: Float) { self.gamma = gamma }
    /// gamma^step.
    public func factor(at step: Int) -> Float { Float(pow(Double(gamma), Double(step))) }
}

/// Any function of the step, e.g. DANN's annealing 1/(1 + 10p)^0.75 (Ganin et al. 2016).
public struct LambdaSchedule: LearningRateSchedule {
    let function: (Int) -> Float
    /// A schedule from a closure.
    public init(_ function: @escaping (Int) -> Float) { self.function = function }
    /// function(step).
    public func factor(at step: Int) -> Float { function(step) }
}

/// Applies a schedule to an optimizer's groups, like `torch.optim.lr_scheduler`.
public final class LearningRateScheduler {
    /// The optimizer whose rates are set.
    public let optimizer: Optimizer
    /// The schedule.
    public let schedule: any LearningRateSchedule
    /// Scheduler steps taken so far.
    public private(set) var stepCount = 0

    /// Sets the rates for step 0 at once.
    public init(_ optimizer: Optimizer, schedule: any LearningRateSchedule) {
        self.optimizer = optimizer
        self.schedule = schedule
        apply()
    }

    /// Advances one step (an epoch or an iteration, as the caller decides) and sets the rates.
    public func step() {
        stepCount += 1
        apply()
    }

    func apply() {
        let f = schedule.factor(at: stepCount)
        for i in optimizer.groups.indices { optimizer.groups[i].learningRate = optimizer.groups[i].initialLearningRate * f }
    }
}

/// Gradient clipping, like `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`.
public enum GradientClipping {
    /// Scales all gradients together so that their global L2 norm is at most `maxNorm`;
    /// returns the norm before clipping (infinite or NaN norms are returned, gradients left).
    @discardableResult
    public static func clipByGlobalNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        var total = 0.0
        for p in parameters { if let g = p.grad { total += g.sumOfSquares() } }
        let norm = Float(total.squareRoot())
        guard norm.isFinite, norm > maxNorm else { return norm }
        let scale = maxNorm / (norm + 1e-6)
        noGrad { for p in parameters { if let g = p.grad { g.assign(g * scale) } } }
        return norm
    }

    /// Clamps every gradient element to [-clip, clip].
    public static func clipByValue(_ parameters: [Tensor], clip: Float) {
        for p in parameters {
            if let g = p.grad { noGrad { g.assign(g.clamp(min: -clip, max: clip)) } }
        }
    }
}

/// The value of `f` and its gradients with respect to `parameters` only, without touching
/// any `.grad` (MLX's `valueAndGrad`; the clean way to step a GAN's generator without
/// disturbing its discriminator's gradients). Feed the result to `Optimizer.step(gradients:)`.
public func valueAndGrad(of f: () -> Tensor, wrt parameters: [Tensor]) -> (value: Tensor, gradients: [ObjectIdentifier: Tensor]) {
    let value = enableGrad { f() }
    guard value.requiresGrad else { return (value, [:]) }
    let grads = grad(of: [value], wrt: parameters)
    return (value.detach(), Dictionary(uniqueKeysWithValues: zip(parameters.map(ObjectIdentifier.init), grads)))
}
