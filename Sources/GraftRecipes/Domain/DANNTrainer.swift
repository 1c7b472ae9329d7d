import Foundation
import Graft
import GraftNN

/// How a `DANNTrainer` step trains.
public enum DANNMode: Sendable, Equatable {
    /// The label loss only: the baseline trained on the labelled domain (the "source only"
    /// row of the paper's table 2; fed the target's labelled images, the "train on target" row).
    case labelsOnly
    /// The label loss on the source plus the domain loss on both domains through the gradient
    /// reversal layer (the DANN row).
    case adversarial
}

/// What one training step measured.
public struct DANNStepResult: Sendable, Equatable {
    /// The cross-entropy of the label predictor on the labelled batch.
    public let labelLoss: Double
    /// The cross-entropy of the domain classifier on both batches (nil in `.labelsOnly`).
    public let domainLoss: Double?
    /// The reversal factor λ_p used by the step.
    public let lambda: Double
    /// The learning rate μ_p used by the step.
    public let learningRate: Double
}

/// Why a DANN step refused its inputs or stopped.
public enum DANNError: Error, CustomStringConvertible, Equatable {
    /// A batch's shape does not fit: `what` names it and what was expected.
    case badBatch(what: String, reason: String)
    /// The loss was not finite at step `step` (counted from 1).
    case nonFiniteLoss(step: Int, value: Double)

    /// A message naming the batch or the step.
    public var description: String {
        switch self {
        case let .badBatch(what, reason): return "\(what): \(reason)"
        case let .nonFiniteLoss(step, value): return "the DANN loss became \(value) at step \(step)"
        }
    }
}

/// Stochastic gradient descent for domain-adversarial training (Ganin et al. 2016, JMLR 17,
/// algorithm 1 and section 5.2.2). Each step takes a labelled source batch and an unlabelled
/// target batch and minimises
///
///     E = CE(G_y(G_f(x_s)), y_s) + CE(G_d(R_λ(G_f([x_s; x_t]))), [0…0; 1…1])
///
/// where R_λ is the gradient reversal layer: G_d descends the domain loss while G_f, receiving
/// -λ times its gradient, ascends it (the saddle point of eq. 18-19). Training progress p runs
/// from 0 to 1 over `totalSteps`; λ_p and the learning rate μ_p follow `DANNSchedule`, with
/// momentum 0.9 as in the paper.
public final class DANNTrainer {
    /// The model being trained.
    public let model: DANNModel
    /// SGD with momentum over every trainable parameter of the model.
    public let optimizer: SGD
    /// Whether the domain loss is used.
    public let mode: DANNMode
    /// The number of steps over which p goes from 0 to 1.
    public let totalSteps: Int
    /// The initial learning rate μ_0.
    public let initialLearningRate: Double
    /// The steepness γ of the λ schedule.
    public let gamma: Double
    /// Steps taken so far.
    public internal(set) var stepsTaken = 0

    /// A trainer of `model` for `totalSteps` steps (at least one).
    public init(model: DANNModel, mode: DANNMode, totalSteps: Int, initialLearningRate: Double = 0.01,
                momentum: Float = 0.9, gamma: Double = 10) throws {
        guard totalSteps > 0 else { throw DANNError.badBatch(what: "DANN total steps", reason: "expected at least one step, got \(totalSteps)") }
        self.model = model
        self.mode = mode
        self.totalSteps = totalSteps
        self.initialLearningRate = initialLearningRate
        self.gamma = gamma
        optimizer = SGD(model.namedParameters().filter { $0.tensor.requiresGrad }, learningRate: Float(initialLearningRate), momentum: momentum)
    }

    /// One step on `source` [B, ...] with class labels `labels` [B] and, in `.adversarial`,
    /// unlabelled `target` [B', ...] of the same per-example shape (ignored in `.labelsOnly`).
    @discardableResult
    public func step(source: Tensor, labels: Tensor, target: Tensor? = nil) throws -> DANNStepResult {
        let p = DANNSchedule.progress(step: stepsTaken, of: totalSteps)
        let lambda = DANNSchedule.lambda(progress: p, gamma: gamma)
        let rate = DANNSchedule.learningRate(progress: p, initial: initialLearningRate)
        for i in optimizer.groups.indices { optimizer.groups[i].learningRate = Float(rate) }
        model.reversal.lambda = Float(lambda)
        model.train()
        optimizer.zeroGrad()
        let (labelLoss, domainLoss) = try Self.losses(model: model, mode: mode, source: source, labels: labels, target: target)
        let loss = domainLoss.map { labelLoss + $0 } ?? labelLoss
        stepsTaken += 1
        let value = Double(loss.item)
        guard value.isFinite else { throw DANNError.nonFiniteLoss(step: stepsTaken, value: value) }
        loss.backward()
        optimizer.step()
        return DANNStepResult(labelLoss: Double(labelLoss.item), domainLoss: domainLoss.map { Double($0.item) },
                              lambda: lambda, learningRate: rate)
    }

    /// The two terms of the objective E, recorded for backpropagation: the label loss on
    /// `source` [B, ...] with `labels` [B], and in `.adversarial` the domain loss on `source`
    /// (domain 0) and `target` [B', ...] (domain 1) through the model's reversal layer at its
    /// current λ. Both batches go through the feature extractor in one pass.
    public static func losses(model: DANNModel, mode: DANNMode, source: Tensor, labels: Tensor,
                              target: Tensor?) throws -> (label: Tensor, domain: Tensor?) {
        let b = source.shape.first ?? 0
        guard b > 0, source.rank >= 2 else {
            throw DANNError.badBatch(what: "source batch", reason: "expected [B, ...] with B >= 1, got \(source.shape)")
        }
        guard labels.shape == [b] else { throw DANNError.badBatch(what: "source labels", reason: "expected [\(b)], got \(labels.shape)") }
        guard mode == .adversarial else { return (Loss.crossEntropy(model(source), labels), nil) }
        guard let target else { throw DANNError.badBatch(what: "target batch", reason: "an adversarial step needs a target batch") }
        let bt = target.shape.first ?? 0
        guard bt > 0, Array(target.shape.dropFirst()) == Array(source.shape.dropFirst()) else {
            throw DANNError.badBatch(what: "target batch",
                                     reason: "expected [B', \(source.shape.dropFirst().map(String.init).joined(separator: ", "))] with B' >= 1, "
                                             + "got \(target.shape)")
        }
        let f = model.features(Tensor.concat([source, target], axis: 0))
        let label = Loss.crossEntropy(model.labelPredictor(f.slice(axis: 0, start: 0, end: b)), labels)
        let domains = Tensor([Float](repeating: 0, count: b) + [Float](repeating: 1, count: bt), shape: [b + bt])
        return (label, Loss.crossEntropy(model.domainLogits(features: f), domains))
    }
}
