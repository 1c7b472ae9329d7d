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
        let totalSteps = EpochSampler(count: train.count, batchSize: min(sizes.batch, train.count)).batchCount * sizes.epochs
        context.note("""
            \(model.parameterCount) parameters; \(train.count) training and \(test.count) test images; batches of \(sizes.batch); \
            Adam, learning rate \(settings.learningRate); \(sizes.epochs) epochs.
            """)
        let trainingLoss = context.curve("training loss", x: "step", y: "cross-entropy")
        let testAccuracy = context.curve("test accuracy", x: "epoch", y: "%")
        let meanLoss = context.curve("mean training loss", x: "epoch", y: "cross-entropy")
        // The order of epoch e depends only on the seed and e, so a resumed run sees the same batches.
        try ClassifierKit.train(model, on: train, epochs: sizes.epochs, batch: sizes.batch, optimizer: optimizer, seed: seed,
                                context: context, loop: "training", onStep: { step in
            if step.loop.number % 10 == 0 || step.epochLoss != nil {
                step.loop.log(trainingLoss, x: Double(step.loop.number), y: step.loss)
            }
            if let epochLoss = step.epochLoss {
                step.loop.log(testAccuracy, x: Double(step.epoch + 1), y: evaluate(model, test).accuracy * 100)
                step.loop.log(meanLoss, x: Double(step.epoch + 1), y: epochLoss)
            }
        })
        let result = evaluate(model, test)
        context.metric("test accuracy", result.accuracy * 100, unit: "%", paper: 96.95,
                       note: "LeCun et al. 1998: 3-layer network, 300+100 hidden units, 3.05% error", tolerance: 1)
        context.metric("training steps", Double(totalSteps))
        context.figure(.curve(trainingLoss, caption: "Cross-entropy of each 10th training batch."))
        context.figure(.curve(testAccuracy, caption: "Test accuracy after each epoch."))
        let wrong = Array(result.wrong.prefix(16))
        if !wrong.isEmpty {
            let images = test.images.indexSelect(axis: 0, indices: Tensor(indices: wrong.map { $0.index }))
            context.figure(.images(title: "Misclassified test digits", images: images, columns: 8,
                                   captions: wrong.map { "\($0.label) as \($0.predicted)" },
                                   caption: "The first \(wrong.count) test digits the network gets wrong: true label, then its answer."))
        }
    }

    /// The first `n` examples (the images keep MNIST's shape; the network flattens them).
    func subset(_ d: MNIST, _ n: Int) -> LabeledSet {
        let k = min(n, d.count)
        return LabeledSet(images: d.images.slice(axis: 0, start: 0, end: k), labels: d.labels.slice(axis: 0, start: 0, end: k))
    }

    /// Accuracy on `data`, and the misclassified examples in order.
    func evaluate(_ model: Sequential, _ data: LabeledSet) -> (accuracy: Double, wrong: [(index: Int, label: Int, predicted: Int)]) {
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
