import Foundation
import Graft
import GraftData
import GraftNN

/// A multilayer perceptron on MNIST: the baseline every later lab builds on, and the frame's
/// own test (curves, checkpoints, resume, report). LeCun, Bottou, Bengio and Haffner (1998),
/// "Gradient-based learning applied to document recognition", table of results: a 3-layer
/// network with 300+100 hidden units has 3.05% test error (96.95% accuracy).
public struct MNISTMLPLab: Lab {
    /// "mnist-mlp".
    public let name = "mnist-mlp"
    /// The title.
    public let title = "A multilayer perceptron on MNIST"
    /// The claim.
    public let claim = "A 784-256-256-10 ReLU network trained with Adam passes 97% test accuracy on MNIST in a few epochs."
    /// MNIST.
    public let datasets = ["mnist"]

    /// What `graft train mnist-mlp` may change; nil keeps the size's default.
    public struct Settings: Sendable {
        /// Passes over the training images (default 5; 3 in a quick run).
        public var epochs: Int?
        /// Examples per batch.
        public var batchSize: Int
        /// Adam's learning rate.
        public var learningRate: Float
        /// The lab's settings: 128 examples per batch, learning rate 0.001.
        public init(epochs: Int? = nil, batchSize: Int = 128, learningRate: Float = 1e-3) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
        }
    }

    /// The hyperparameters.
    public let settings: Settings

    /// The lab with `settings` (the defaults are the lab's).
    public init(settings: Settings = Settings()) { self.settings = settings }

    /// Sizes: quick runs use 3,000 training and 1,000 test images for 3 epochs.
    struct Sizes { var train: Int; var test: Int; var epochs: Int; var batch = 128 }

    /// Trains, evaluates after every epoch and records the test accuracy against the paper's.
    public func run(_ context: LabContext) throws {
        var sizes = context.options.quick ? Sizes(train: 3000, test: 1000, epochs: 3) : Sizes(train: 60000, test: 10000, epochs: 5)
        sizes.epochs = settings.epochs ?? sizes.epochs
        sizes.batch = settings.batchSize
        let fullTrain = try MNIST.load(.train), fullTest = try MNIST.load(.test)
        let train = subset(fullTrain, sizes.train), test = subset(fullTest, sizes.test)
        let seed = context.options.seed
        let model = Sequential(Flatten(), Linear(784, 256, generator: RandomGenerator(seed: seed)), ReLU(),
                               Linear(256, 256, generator: RandomGenerator(seed: seed &+ 1)), ReLU(),
                               Linear(256, 10, generator: RandomGenerator(seed: seed &+ 2)))
        let optimizer = Adam(model.namedParameters(), learningRate: settings.learningRate)
        // The order of epoch e depends only on the seed and e, so a resumed run sees the same batches.
        let sampler = EpochSampler(count: train.count, batchSize: sizes.batch, seed: seed)
        let stepsPerEpoch = sampler.batchCount
        let totalSteps = stepsPerEpoch * sizes.epochs
        context.note("\(model.parameterCount) parameters; \(train.count) training and \(test.count) test images; batches of \(sizes.batch); Adam, learning rate \(settings.learningRate); \(sizes.epochs) epochs.")
        let lossSum = Tracked(0.0)
        var batches: (epoch: Int, indices: [[Int]]) = (-1, [])
        try context.train("training", steps: totalSteps, tracking: ["model": model, "optimizer": optimizer, "loss sum": lossSum]) { step in
            let epoch = step.index / stepsPerEpoch, s = step.index % stepsPerEpoch
            if batches.epoch != epoch { batches = (epoch, sampler.batches(epoch: epoch)) }
            let idx = Tensor(indices: batches.indices[s])
            let x = train.images.indexSelect(axis: 0, indices: idx), y = train.labels.indexSelect(axis: 0, indices: idx)
            model.train()
            optimizer.zeroGrad()
            let loss = Loss.crossEntropy(model(x), y)
            guard loss.item.isFinite else { return ["loss": Double(loss.item)] }
            loss.backward()
            optimizer.step()
            lossSum.value += Double(loss.item)
            if step.number % 10 == 0 || s + 1 == stepsPerEpoch {
                step.log("training loss", x: Double(step.number), y: Double(loss.item), xLabel: "step", yLabel: "cross-entropy")
            }
            if s + 1 == stepsPerEpoch {
                let accuracy = evaluate(model, test).accuracy
                step.log("test accuracy", x: Double(epoch + 1), y: accuracy * 100, xLabel: "epoch", yLabel: "%")
                step.log("mean training loss", x: Double(epoch + 1), y: lossSum.value / Double(stepsPerEpoch), xLabel: "epoch", yLabel: "cross-entropy")
                lossSum.value = 0
            }
            return ["loss": Double(loss.item)]
        }
        let result = evaluate(model, test)
        context.metric("test accuracy", result.accuracy * 100, unit: "%", paper: 96.95,
                       note: "LeCun et al. 1998: 3-layer network, 300+100 hidden units, 3.05% error", tolerance: 1)
        context.metric("training steps", Double(totalSteps))
        context.figure(.curve("training loss", caption: "Cross-entropy of each 10th training batch."))
        context.figure(.curve("test accuracy", caption: "Test accuracy after each epoch."))
        let wrong = Array(result.wrong.prefix(16))
        if !wrong.isEmpty {
            let images = test.images.indexSelect(axis: 0, indices: Tensor(indices: wrong.map { $0.index }))
            context.figure(.images(title: "Misclassified test digits", images: images, columns: 8,
                                   captions: wrong.map { "\($0.label) as \($0.predicted)" },
                                   caption: "The first \(wrong.count) test digits the network gets wrong: true label, then its answer."))
        }
    }

    /// The first `n` examples.
    func subset(_ d: MNIST, _ n: Int) -> (images: Tensor, labels: Tensor, count: Int) {
        let k = min(n, d.count)
        return (d.images.slice(axis: 0, start: 0, end: k), d.labels.slice(axis: 0, start: 0, end: k), k)
    }

    /// Accuracy on `data`, and the misclassified examples in order.
    func evaluate(_ model: Sequential, _ data: (images: Tensor, labels: Tensor, count: Int)) -> (accuracy: Double, wrong: [(index: Int, label: Int, predicted: Int)]) {
        model.eval()
        defer { model.train() }
        var wrong: [(index: Int, label: Int, predicted: Int)] = []
        noGrad {
            var start = 0
            while start < data.count {
                let end = min(start + 1000, data.count)
                let predicted = model(data.images.slice(axis: 0, start: start, end: end)).argmax(axis: 1).scalars
                for (i, p) in predicted.enumerated() where Int(p) != Int(data.labels.scalars[start + i]) {
                    wrong.append((start + i, Int(data.labels.scalars[start + i]), Int(p)))
                }
                start = end
            }
        }
        return (1 - Double(wrong.count) / Double(max(data.count, 1)), wrong)
    }
}
