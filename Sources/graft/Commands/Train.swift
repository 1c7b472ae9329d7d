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

/// `graft train mnist-mlp`: the mnist-mlp lab with the hyperparameters given on the command
/// line: the same code, report, checkpoints, Ctrl-C and `--resume` as `graft lab mnist-mlp`.
struct MNISTMLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-mlp",
        abstract: "Train a 784-256-256-10 ReLU network on MNIST with Adam and report test accuracy (the mnist-mlp lab).",
        discussion: "Writes the lab's run folder (default ./graft-runs/mnist-mlp): config.json, metrics.json, report.html, checkpoint.safetensors."
    )

    @Option(name: .long, help: "Passes over the training images (default: 5; 3 with --size quick).")
    var epochs: Int?

    @Option(name: .long, help: "Examples per batch.")
    var batchSize: Int = 128

    @Option(name: .long, help: "Adam learning rate.")
    var learningRate: Float = 1e-3

    @OptionGroup var runOptions: RunOptions

    @Flag(name: .long, help: "Continue from the run folder's last checkpoint (refused if it was written with other options).")
    var resume = false

    func validate() throws {
        if let epochs, epochs < 1 || epochs > 1000 { throw ValidationError("--epochs must be between 1 and 1000, got \(epochs)") }
        if batchSize < 1 || batchSize > 60_000 { throw ValidationError("--batch-size must be between 1 and 60000, got \(batchSize)") }
        if !(learningRate > 0) || !learningRate.isFinite {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
    }

    func run() throws {
        let lab = MNISTMLPLab(settings: .init(epochs: epochs, batchSize: batchSize, learningRate: learningRate))
        let options = try runOptions.labOptions(default: .full, resume: resume)
        try LabRunCommand.execute(lab, options: options, folder: runOptions.folder(default: "graft-runs/\(lab.name)"))
    }
}
