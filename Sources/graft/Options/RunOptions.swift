import ArgumentParser
import Foundation
import Graft
import GraftLabs

/// The options every command that runs labs shares (`graft lab`, `graft demo`, `graft train`):
/// seed, output folder, size and threads, as swift-argument-parser's Math example shares its
/// options through one `@OptionGroup`.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Option(name: .long, help: ArgumentHelp("The run folder.", discussion: "Default: ./graft-runs/NAME for one lab, ./graft-runs for the demo."))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("How big the run is: quick (seconds, a smoke run) or full (the paper's protocol)."))
    var size: LabSize?

    @Flag(name: .long, help: "Short for --size quick.")
    var quick = false

    @OptionGroup var threadOptions: ThreadOptions

    /// Refuses --quick together with another size.
    func validate() throws {
        if quick, let size, size != .quick {
            throw ValidationError("--quick and --size \(size) ask for two sizes; give one (--quick is short for --size quick)")
        }
    }

    /// The size asked for, or `fallback`.
    func resolvedSize(default fallback: LabSize) -> LabSize { quick ? .quick : size ?? fallback }

    /// The run folder: --out, else `defaultPath`.
    func folder(default defaultPath: String) -> URL { URL(fileURLWithPath: out ?? defaultPath) }

    /// Applies --threads and returns the lab options for this run.
    func labOptions(default size: LabSize, resume: Bool = false) throws -> LabOptions {
        try threadOptions.apply()
        return LabOptions(size: resolvedSize(default: size), seed: seed, threads: ComputeThreads.count, resume: resume)
    }
}

extension LabSize: ExpressibleByArgument {
    /// Every size, for help and completion.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
