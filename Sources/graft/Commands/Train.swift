import ArgumentParser
import Foundation
import Graft
import GraftData
import GraftNN
import GraftLabs

/// `graft train`: example training runs.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an example model.",
        subcommands: [MNISTMLPCommand.self, TrainSpiralsCommand.self]
    )
}

/// `graft train mnist-mlp`: a 784-256-256-10 MLP on MNIST.
struct MNISTMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-mlp",
        abstract: "Train a 784-256-256-10 ReLU network on MNIST with Adam and report test accuracy."
    )

    @Option(name: .long, help: "Passes over the 60,000 training images.")
    var epochs: Int = 5

    @Option(name: .long, help: "Examples per batch.")
    var batchSize: Int = 128

    @Option(name: .long, help: "Adam learning rate.")
    var learningRate: Float = 1e-3

    @Option(name: .long, help: "Random seed (initialisation and shuffling).")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Write the final checkpoint (model + optimizer) into this folder.")
    var out: String?

    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if epochs < 1 || epochs > 1000 { throw ValidationError("--epochs must be between 1 and 1000, got \(epochs)") }
        if batchSize < 1 || batchSize > 60_000 { throw ValidationError("--batch-size must be between 1 and 60000, got \(batchSize)") }
        if !(learningRate > 0) { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
    }

    func run() throws {
        try threadOptions.apply()
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        let rng = RandomGenerator(seed: seed)
        RandomGenerator.manualSeed(seed)
        let model = Sequential(Flatten(), Linear(784, 256, generator: rng), ReLU(), Linear(256, 256, generator: rng), ReLU(), Linear(256, 10, generator: rng))
        let optimizer = Adam(model.namedParameters(), learningRate: learningRate)
        let steps = (train.count + batchSize - 1) / batchSize
        print("MNIST MLP 784-256-256-10 (\(model.parameterCount) parameters), \(epochs) epochs of \(steps) batches of \(batchSize), Adam lr \(learningRate), \(ComputeThreads.count) threads")
        let start = Date()
        for epoch in 1...epochs {
            model.train()
            let order = rng.permutation(train.count)
            var lossSum: Float = 0
            for s in 0..<steps {
                let idx = Tensor(indices: Array(order[(s * batchSize)..<min((s + 1) * batchSize, train.count)]))
                let x = train.images.indexSelect(axis: 0, indices: idx)
                let y = train.labels.indexSelect(axis: 0, indices: idx)
                optimizer.zeroGrad()
                let loss = Loss.crossEntropy(model(x), y)
                guard loss.item.isFinite else {
                    throw ValidationError("training stopped: the loss became \(loss.item) at epoch \(epoch), batch \(s + 1); nothing was saved")
                }
                loss.backward()
                optimizer.step()
                lossSum += loss.item
                Progress.bar(step: s + 1, of: steps, started: start, note: "epoch \(epoch)/\(epochs) loss \(String(format: "%.4f", lossSum / Float(s + 1)))")
            }
            let accuracy = evaluate(model, test)
            print(String(format: "epoch %d: training loss %.4f, test accuracy %.2f%%, %.1f s", epoch, lossSum / Float(steps), accuracy * 100, Date().timeIntervalSince(start)))
        }
        if let out {
            let url = URL(fileURLWithPath: out).appendingPathComponent("mnist-mlp.safetensors")
            try Checkpoint.save(model: model, optimizer: optimizer, step: epochs * steps, to: url)
            print("checkpoint: \(url.path)")
        }
    }

    /// Test accuracy in batches, without recording.
    func evaluate(_ model: Sequential, _ data: MNIST) -> Float {
        model.eval()
        return noGrad {
            var correct: Float = 0
            for start in stride(from: 0, to: data.count, by: 1000) {
                let end = min(start + 1000, data.count)
                let x = data.images.slice(axis: 0, start: start, end: end)
                let y = data.labels.slice(axis: 0, start: start, end: end)
                correct += model(x).argmax(axis: 1).eq(y).sum().item
            }
            return correct / Float(data.count)
        }
    }
}
