import ArgumentParser
import Foundation
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
    // Parsed unconditionally so that "--threads -1" reaches the range check below instead of
    // being taken for an option named "-1".
    @Option(name: .long, parsing: .unconditional, help: "Worker threads for kernels (default: GRAFT_THREADS or all cores).")
    var threads: Int?

    /// Applies the thread count, refusing values the pool cannot use: --threads, else a
    /// GRAFT_THREADS that is set (checked like --threads rather than silently ignored).
    func apply() throws {
        if let threads {
            guard threads >= 1 && threads <= 256 else {
                throw ValidationError("--threads must be between 1 and 256, got \(threads)")
            }
            ComputeThreads.count = threads
            return
        }
        guard let text = ProcessInfo.processInfo.environment["GRAFT_THREADS"] else { return }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 1 && value <= 256 else {
            throw ValidationError("GRAFT_THREADS must be a whole number between 1 and 256, got '\(text)'")
        }
        ComputeThreads.count = value
    }
}
