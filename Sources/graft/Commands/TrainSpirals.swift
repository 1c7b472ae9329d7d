import ArgumentParser
import Foundation
import Graft
import GraftLabs

/// `graft train spirals`: trains a small classifier with the tensor engine and its autodiff, end to end.
struct TrainSpiralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spirals",
        abstract: "Train a two-layer network on two interleaved spirals with Graft's autodiff.",
        discussion: """
            Exercises tensors, broadcasting, matmul, the fused cross-entropy, backward() and a hand-written SGD loop, \
            and prints accuracy on held-out points.
            """
    )

    @Option(name: .long, help: "Random seed (same seed and thread count, same numbers).")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Training steps.")
    var steps: Int = 1500

    @OptionGroup var threadOptions: ThreadOptions

    func validate() throws {
        if steps < 1 || steps > 1_000_000 { throw ValidationError("--steps must be between 1 and 1000000, got \(steps)") }
    }

    func run() throws {
        try threadOptions.apply()
        let rng = RandomGenerator(seed: seed)
        let (trainX, trainY) = SpiralData.make(count: 1000, generator: rng)
        let (testX, testY) = SpiralData.make(count: 1000, generator: rng)
        let hidden = 64
        // He-style initialisation for the tanh hidden layer.
        let w1 = Tensor.randn([2, hidden], std: 1, generator: rng).requiringGrad()
        let b1 = Tensor.zeros([hidden]).requiringGrad()
        let w2 = Tensor.randn([hidden, 2], std: Float(1 / Double(hidden).squareRoot()), generator: rng).requiringGrad()
        let b2 = Tensor.zeros([2]).requiringGrad()
        let parameters = [w1, b1, w2, b2]
        func logits(_ x: Tensor) -> Tensor { (x.matmul(w1) + b1).tanh().matmul(w2) + b2 }

        print("Spirals: 2-64-2 network, two spirals, \(trainX.shape[0]) training points, \(steps) steps of SGD with momentum")
        var velocity = parameters.map { Tensor.zeros($0.shape) }
        let start = Date()
        var lastLoss: Float = .nan
        for step in 1...steps {
            let loss = Tensor.crossEntropy(logits: logits(trainX), targets: trainY)
            lastLoss = loss.item
            if !lastLoss.isFinite { throw ValidationError("the loss became \(lastLoss) at step \(step); try a smaller learning rate") }
            loss.backward()
            noGrad {
                for (i, p) in parameters.enumerated() {
                    velocity[i] = velocity[i] * 0.9 + p.grad!
                    p.assign(p - velocity[i] * 0.1)
                    p.zeroGrad()
                }
            }
            Progress.bar(step: step, of: steps, started: start, note: String(format: "loss %.4f", lastLoss))
        }
        let accuracy = noGrad { logits(testX).argmax(axis: 1).eq(testY).mean().item }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "held-out accuracy %.1f%% (chance 50%%), final training loss %.4f, %.2f s (%.2f ms per step, %d threads)",
                     accuracy * 100, lastLoss, seconds, seconds * 1000 / Double(steps), ComputeThreads.count))
    }
}

/// Two interleaved spirals, one per class, with a little noise.
enum SpiralData {
    /// `count` points [count, 2] and their labels [count].
    static func make(count: Int, generator: RandomGenerator) -> (Tensor, Tensor) {
        var xs: [Float] = [], ys: [Float] = []
        for i in 0..<count {
            let label = i % 2
            let t = 0.25 + 3.5 * Double(generator.nextFloat())           // radius and angle grow together
            let angle = t * 2.2 + Double(label) * Double.pi
            xs.append(Float(t * cos(angle)) / 4 + 0.03 * generator.nextNormal())
            xs.append(Float(t * sin(angle)) / 4 + 0.03 * generator.nextNormal())
            ys.append(Float(label))
        }
        return (Tensor(xs, shape: [count, 2]), Tensor(ys))
    }
}

