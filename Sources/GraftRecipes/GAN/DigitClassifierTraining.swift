import Foundation
import Graft
import GraftNN

/// `DigitClassifier.fit` one batch at a time, so a lab can drive it through its training loop
/// and checkpoint it: Adam (learning rate 0.001, a tenth of it in the last epoch when there
/// are several) over shuffled batches, each epoch's order drawn from one seeded generator.
public final class DigitClassifierTraining {
    /// The classifier being trained.
    public let classifier: DigitClassifier
    /// The optimizer.
    let optimizer: Adam
    /// The generator of the epochs' orders.
    let random: RandomGenerator
    let images: Tensor, labels: Tensor
    /// Epochs and the batch size.
    public let epochs: Int, batch: Int
    /// Batches per epoch.
    public let batchesPerEpoch: Int
    /// Steps taken so far.
    public internal(set) var stepsTaken = 0
    /// The current epoch's order of the examples (drawn at its first step).
    var order: [Int] = []

    /// Training of `classifier` on `images` [N, 1, 28, 28] and `labels` for `epochs` epochs in
    /// batches of `batch`, shuffled by `seed`.
    public init(_ classifier: DigitClassifier, images: Tensor, labels: Tensor, epochs: Int, batch: Int = 128, seed: UInt64) {
        self.classifier = classifier
        optimizer = Adam(classifier.namedParameters(), learningRate: 1e-3)
        random = RandomGenerator(seed: seed)
        self.images = images
        self.labels = labels
        self.epochs = epochs
        self.batch = batch
        batchesPerEpoch = (images.shape[0] + batch - 1) / batch
    }

    /// All the steps: epochs × batches per epoch.
    public var totalSteps: Int { epochs * batchesPerEpoch }

    /// One Adam step on the next batch; returns its cross-entropy. A loss that is not finite is
    /// returned without updating the weights.
    @discardableResult
    public func step() -> Float {
        let n = images.shape[0]
        let epoch = stepsTaken / batchesPerEpoch, b = stepsTaken % batchesPerEpoch
        if b == 0 {
            if epochs > 1 && epoch == epochs - 1 { optimizer.groups[0].learningRate = 1e-4 }
            order = random.permutation(n)
        }
        classifier.train()
        let idx = Tensor(indices: Array(order[(b * batch)..<Swift.min(n, (b + 1) * batch)]))
        optimizer.zeroGrad()
        let loss = Loss.crossEntropy(classifier(images.indexSelect(axis: 0, indices: idx)), labels.indexSelect(axis: 0, indices: idx))
        stepsTaken += 1
        guard loss.item.isFinite else { return loss.item }
        loss.backward()
        optimizer.step()
        return loss.item
    }
}

extension DigitClassifierTraining: Resumable {
    /// The classifier, the optimizer, the generator, the steps taken and the epoch's order.
    public func resumableState() -> ResumableState {
        var state = ResumableState([("classifier", classifier.resumableState()), ("optimizer", optimizer.resumableState()),
                                    ("random", random.resumableState())])
        state.texts["stepsTaken"] = String(stepsTaken)
        state.texts["order"] = order.map(String.init).joined(separator: ",")
        return state
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let steps = state.texts["stepsTaken"].flatMap({ Int($0) }), let text = state.texts["order"] else {
            throw ResumableStateError("a digit classifier training's saved step count or order is missing")
        }
        let order = text.isEmpty ? [] : text.split(separator: ",").compactMap { Int($0) }
        guard order.count == (text.isEmpty ? 0 : text.split(separator: ",").count) else {
            throw ResumableStateError("a digit classifier training's saved order is malformed")
        }
        try classifier.restore(state.part("classifier"))
        try optimizer.restore(state.part("optimizer"))
        try random.restore(state.part("random"))
        stepsTaken = steps
        self.order = order
    }
}
