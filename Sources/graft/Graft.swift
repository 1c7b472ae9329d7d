import ArgumentParser
import Graft

/// The `graft` command: the demo tour, labs, data sets, training examples, generator evaluation and benchmarks.
@main
struct GraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graft",
        abstract: "Graft: a deep-learning toolkit in Swift, and the labs that reproduce a course chapter.",
        subcommands: [DemoCommand.self, LabCommand.self, DataCommand.self, TrainCommand.self, EvalCommand.self, BenchCommand.self]
    )
}

/// Options shared by commands that run numeric work.
struct ThreadOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads for kernels (default: GRAFT_THREADS or all cores).")
    var threads: Int?

    /// Applies the thread count, refusing values the pool cannot use.
    func apply() throws {
        guard let threads else { return }
        guard threads >= 1 && threads <= 256 else {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
        ComputeThreads.count = threads
    }
}
