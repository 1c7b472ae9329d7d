import Graft
import GraftNN

/// How a `MultitaskTrainer` trains.
public struct MultitaskSettings: Sendable, Equatable {
    /// Adam's learning rate.
    public var learningRate: Float = 1e-3

    /// The defaults above.
    public init() {}
}

/// What one multitask step measured.
public struct MultitaskStepResult: Sendable, Equatable {
    /// The weighted objective L = Σ_t w_t L_t before the step.
    public let loss: Double
    /// Each task's cross-entropy L_t, in task order.
    public let taskLosses: [Double]
}

/// Why a multitask step refused its inputs or stopped.
public enum MultitaskError: Error, Equatable, CustomStringConvertible {
    /// The step was given `given` batches for a model with `tasks` tasks.
    case wrongBatchCount(given: Int, tasks: Int)
    /// The loss was not finite at step `step` (counted from 1); nothing was updated.
    case nonFiniteLoss(step: Int, value: Float)

    /// A message naming the mismatch or the step.
    public var description: String {
        switch self {
        case let .wrongBatchCount(given, tasks): return "a multitask step needs one batch per task (\(tasks)), got \(given)"
        case let .nonFiniteLoss(step, value): return "the training loss became \(value) at step \(step)"
        }
    }
}

/// Hard parameter sharing trained jointly (Caruana 1997, "Multitask learning", section 2): each
/// step takes one labelled batch (x_t, y_t) per task and follows
///
///     L = Σ_t w_t CE(h_t(f(x_t)), y_t)
///
/// by Adam over every parameter of a `MultitaskModel` (trunk f, heads h_t), so the trunk moves with
/// the gradients of all tasks at once. The weights w_t come from a `MultitaskLoss`.
public final class MultitaskTrainer {
    /// The settings.
    public let settings: MultitaskSettings
    /// The model being trained.
    public let model: MultitaskModel
    /// The weights w_t.
    public let objective: MultitaskLoss
    /// Adam over every parameter of the model.
    public let optimizer: Adam
    /// Steps taken so far.
    public internal(set) var stepsTaken = 0

    /// A trainer of `model` with task weights `objective` (equal weights when nil).
    public init(model: MultitaskModel, objective: MultitaskLoss? = nil, settings: MultitaskSettings = .init()) throws {
        let objective = objective ?? MultitaskLoss(equalFor: model.taskCount)
        guard objective.weights.count == model.taskCount else {
            throw TransferError.invalidSetting(name: "multitask weights",
                                               reason: "expected one weight per task (\(model.taskCount)), got \(objective.weights.count)")
        }
        self.settings = settings
        self.model = model
        self.objective = objective
        optimizer = Adam(model.namedParameters(), learningRate: settings.learningRate)
    }

    /// One step on `batches`: for each task t in order, inputs [B_t, ...] and class labels [B_t].
    @discardableResult
    public func step(batches: [(inputs: Tensor, labels: Tensor)]) throws -> MultitaskStepResult {
        guard batches.count == model.taskCount else { throw MultitaskError.wrongBatchCount(given: batches.count, tasks: model.taskCount) }
        model.train()
        optimizer.zeroGrad()
        let losses = batches.enumerated().map { t, batch in Loss.crossEntropy(model(batch.inputs, task: t), batch.labels) }
        let loss = objective.combine(losses)
        stepsTaken += 1
        let value = loss.item
        guard value.isFinite else { throw MultitaskError.nonFiniteLoss(step: stepsTaken, value: value) }
        loss.backward()
        optimizer.step()
        return MultitaskStepResult(loss: Double(value), taskLosses: losses.map { Double($0.item) })
    }
}
