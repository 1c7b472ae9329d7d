import Graft
import GraftNN

/// How a `ClassifierTrainer` or a `ProgressiveColumnTrainer` trains.
public struct ClassifierTrainingSettings: Sendable, Equatable {
    /// Adam's learning rate.
    public var learningRate: Float = 1e-3

    /// The defaults above.
    public init() {}
}

/// Why a classifier step stopped.
public enum ClassifierTrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss was not finite at step `step` (counted from 1); nothing was updated.
    case nonFiniteLoss(step: Int, value: Float)

    /// A message naming the step.
    public var description: String {
        switch self {
        case let .nonFiniteLoss(step, value): return "the training loss became \(value) at step \(step)"
        }
    }
}

/// Supervised training of the parameters a transfer recipe chooses, the step under fine-tuning
/// (Yosinski et al. 2014, "How transferable are features in deep neural networks?": a network's
/// layers, already trained on one task, move on to the next with a new output layer). Each step
/// minimises the cross-entropy of `logits(x)` on a labelled batch,
///
///     L(θ) = −(1/B) Σ_b log softmax(logits_θ(x_b))_{y_b},
///
/// by Adam over exactly the parameters θ it was given: the others (frozen columns, a trunk left
/// alone) are read but never moved.
public final class ClassifierTrainer {
    /// The settings.
    public let settings: ClassifierTrainingSettings
    /// Adam over the trained parameters.
    public let optimizer: Adam
    /// The model's logits [B, C] for inputs [B, ...].
    public let logits: (Tensor) -> Tensor
    /// Steps taken so far.
    public internal(set) var stepsTaken = 0

    /// A trainer of `parameters` (dotted names key Adam's state) through `logits`.
    public init(parameters: [(name: String, tensor: Tensor)], settings: ClassifierTrainingSettings = .init(),
                logits: @escaping (Tensor) -> Tensor) {
        self.settings = settings
        self.logits = logits
        optimizer = Adam(parameters, learningRate: settings.learningRate)
    }

    /// One step on `inputs` [B, ...] with class labels `labels` [B]; returns L before the step.
    @discardableResult
    public func step(inputs: Tensor, labels: Tensor) throws -> Double {
        optimizer.zeroGrad()
        let loss = Loss.crossEntropy(logits(inputs), labels)
        stepsTaken += 1
        let value = loss.item
        guard value.isFinite else { throw ClassifierTrainingError.nonFiniteLoss(step: stepsTaken, value: value) }
        loss.backward()
        optimizer.step()
        return Double(value)
    }
}

/// Trains one column of a `ProgressiveNetwork` on its task (Rusu et al. 2016, "Progressive neural
/// networks", section 2): the cross-entropy of column k's output
///
///     h_L^(k) = W_L^(k) h_{L−1}^(k) + U_L^(k:j) σ(V_L^(k:j) α^(<k) h_{L−1}^(<k))
///
/// is minimised by Adam over the parameters that are not frozen, i.e. column k's own layers and
/// its lateral adapters once it is the newest column; the earlier columns are read through the
/// adapters and never move, which is why a progressive network cannot forget.
public final class ProgressiveColumnTrainer {
    /// The network.
    public let network: ProgressiveNetwork
    /// The column trained.
    public let column: Int
    /// The step on the network's trainable parameters.
    public let classifier: ClassifierTrainer

    /// A trainer of column `column` of `network` (usually the one just added).
    public init(network: ProgressiveNetwork, column: Int, settings: ClassifierTrainingSettings = .init()) throws {
        guard column >= 0 && column < network.columns.count else {
            throw TransferError.invalidSetting(name: "progressive column", reason: "expected 0..<\(network.columns.count), got \(column)")
        }
        self.network = network
        self.column = column
        classifier = ClassifierTrainer(parameters: network.namedParameters().filter { $0.tensor.requiresGrad }, settings: settings) {
            network($0, column: column)
        }
    }

    /// One step on `inputs` [B, inputSize] with the column's class labels `labels` [B]; returns the loss before it.
    @discardableResult
    public func step(inputs: Tensor, labels: Tensor) throws -> Double {
        try classifier.step(inputs: inputs, labels: labels)
    }
}
