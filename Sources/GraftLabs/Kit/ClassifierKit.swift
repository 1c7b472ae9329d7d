import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// The training and evaluation steps the labs that train image classifiers share: MLPs,
/// supervised epochs, accuracy, mean ± std over seeds.
enum ClassifierKit {
    /// A ReLU perceptron `inputs`-hidden...-`classes` as a flat `Sequential`: hidden layer k
    /// (from 1) is entries 2(k-1) (Linear) and 2(k-1)+1 (ReLU); the output layer is the last entry.
    static func mlp(inputs: Int = 784, hidden: [Int], classes: Int, seed: UInt64) -> Sequential {
        var layers: [any UnaryLayer] = []
        var width = inputs
        for (k, h) in hidden.enumerated() {
            layers.append(Linear(width, h, generator: RandomGenerator(seed: seed &+ UInt64(k))))
            layers.append(ReLU())
            width = h
        }
        layers.append(Linear(width, classes, generator: RandomGenerator(seed: seed &+ UInt64(hidden.count))))
        return Sequential(layers)
    }

    /// The `Sequential` entries of hidden layers `layers` (1-based) of a model built by `mlp`.
    static func entries(ofHidden layers: ClosedRange<Int>) -> Range<Int> { (2 * (layers.lowerBound - 1))..<(2 * layers.upperBound) }

    /// Copies hidden layers `layers` (1-based, each a Linear and its ReLU) from `source` into
    /// `target`, two networks built by `mlp` with the same hidden widths; frozen there with `freeze`.
    static func copyHidden(_ layers: ClosedRange<Int>, from source: Sequential, into target: Sequential, freeze: Bool) throws {
        let pairs = entries(ofHidden: layers).map { (source: $0, target: $0) }
        try LayerTransfer.copy(pairs: pairs, from: source, into: target, freeze: freeze)
    }

    /// What one step of `train` did, shown to its `onStep` hook once the optimizer has stepped.
    struct Step {
        /// The loop's step: curves are logged through it, so that a resumed run replays them.
        let loop: LoopStep
        /// The epoch, from 0.
        let epoch: Int
        /// The batch's loss (with the penalty, when there is one).
        let loss: Double
        /// The mean loss of the epoch, on its last batch; nil on the others.
        let epochLoss: Double?
    }

    /// Trains `model` on `data` for `epochs` epochs of `batch` examples with `optimizer`,
    /// adding `penalty()` to the loss when given, as the training loop `loop` of `context`
    /// (one step a batch; the model, the optimizer and the epoch's loss sum are tracked, so the
    /// loop resumes). After each step, `onStep` sees what it did (to log curves through the
    /// step). A loss that is not finite stops it with `NonFiniteLoss`. Returns the mean loss of
    /// the last epoch.
    @discardableResult
    static func train(_ model: Module & UnaryLayer, on data: LabeledSet, epochs: Int, batch: Int, optimizer: Optimizer,
                      seed: UInt64, context: LabContext, loop: String, penalty: (() throws -> Tensor)? = nil,
                      onStep: ((Step) throws -> Void)? = nil) throws -> Double {
        let sampler = EpochSampler(count: data.count, batchSize: min(batch, data.count), seed: seed)
        let perEpoch = sampler.batchCount
        model.train()
        // The loss sum of the epoch under way, and the mean of the last finished epoch.
        let sums = Tracked([0.0, 0.0])
        var batches: (epoch: Int, indices: [[Int]]) = (-1, [])
        try context.train(loop, steps: epochs * perEpoch, tracking: ["model": model, "optimizer": optimizer, "loss": sums]) { step in
            let epoch = step.index / perEpoch, s = step.index % perEpoch
            if batches.epoch != epoch { batches = (epoch, sampler.batches(epoch: epoch)) }
            let idx = Tensor(indices: batches.indices[s])
            let x = data.images.indexSelect(axis: 0, indices: idx), y = data.labels.indexSelect(axis: 0, indices: idx)
            model.train()
            optimizer.zeroGrad()
            var loss = Loss.crossEntropy(model(x), y)
            if let penalty { loss = loss + (try penalty()) }
            guard loss.item.isFinite else { return ["loss": Double(loss.item)] }
            loss.backward()
            optimizer.step()
            sums.value[0] += Double(loss.item)
            let epochEnd = s + 1 == perEpoch
            if epochEnd { sums.value = [0, sums.value[0] / Double(perEpoch)] }
            try onStep?(Step(loop: step, epoch: epoch, loss: Double(loss.item), epochLoss: epochEnd ? sums.value[1] : nil))
            return ["loss": Double(loss.item)]
        }
        model.train()
        return sums.value[1]
    }

    /// The fraction of `data` that `model` labels correctly, in [0, 1].
    static func accuracy(_ model: Module & UnaryLayer, on data: LabeledSet) -> Double {
        model.eval()
        defer { model.train() }
        var predicted: [Int] = []
        noGrad {
            var start = 0
            while start < data.count {
                let end = min(start + 2000, data.count)
                predicted += model(data.images.slice(axis: 0, start: start, end: end)).argmax(axis: 1).scalars.map { Int($0) }
                start = end
            }
        }
        return (try? Statistics.accuracy(predicted: predicted, labels: data.labels.scalars.map { Int($0) })) ?? 0
    }

    /// Adam over the trainable parameters of `model` (frozen ones are left out).
    static func adam(_ model: Module, learningRate: Float) -> Adam {
        Adam(model.namedParameters().filter { $0.tensor.requiresGrad }, learningRate: learningRate)
    }

    /// The mean of `values` (0 for none).
    static func mean(_ values: [Double]) -> Double { Statistics.mean(values) }

    /// The sample standard deviation of `values` (0 for fewer than two).
    static func std(_ values: [Double]) -> Double { Statistics.sampleStd(values) }

    /// The mean and the sample standard deviation of `values`.
    static func meanStd(_ values: [Double]) -> (mean: Double, std: Double) { Statistics.meanStd(values) }

    /// "m ± s" with `digits` decimals.
    static func pm(_ values: [Double], _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f ± %.\(digits)f", mean(values), std(values))
    }
}
