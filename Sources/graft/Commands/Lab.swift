import ArgumentParser
import Foundation
import Graft
import GraftLabs

/// `graft lab`: run one experiment of the course, or list them.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run a lab (one experiment of the course) and write its report.",
        discussion: """
            Each run writes config.json, metrics.json, report.html and checkpoint.safetensors into its folder \
            (default ./graft-runs/NAME). Ctrl-C stops at the next step and keeps the checkpoint; --resume continues \
            from it.
            """,
        subcommands: [LabRunCommand.self, LabListCommand.self],
        defaultSubcommand: LabRunCommand.self
    )
}

/// `graft lab list`.
struct LabListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the labs and the claim each reproduces.")

    func run() throws {
        for lab in LabRegistry.all {
            print("\(lab.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(lab.title)")
            print(String(repeating: " ", count: 19) + lab.claim)
            print(String(repeating: " ", count: 19) + "data: " + lab.datasets.joined(separator: ", "))
        }
    }
}

/// `graft lab NAME`.
struct LabRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run one lab (`graft lab NAME` for short).")

    @Argument(help: ArgumentHelp("The lab to run (see `graft lab list`)."))
    var name: LabName

    @OptionGroup var runOptions: RunOptions

    @Flag(name: .long, help: "Continue from the run folder's last checkpoint (refused if it was written with other options).")
    var resume = false

    func run() throws {
        let lab = name.lab
        let options = try runOptions.labOptions(default: .full, resume: resume)
        try LabRunCommand.execute(lab, options: options, folder: runOptions.folder(default: "graft-runs/\(lab.name)"))
    }

    /// Runs `lab` into `folder`, printing its headline numbers, or how to resume after Ctrl-C.
    static func execute(_ lab: any Lab, options: LabOptions, folder: URL) throws {
        print("\(lab.title) (\(options.size)): seed \(options.seed), \(options.threads) threads -> \(folder.path)")
        fflush(nil)   // the header before the progress lines on stderr
        Interrupt.install()
        do {
            let outcome = try LabRunner.run(lab, options: options, folder: folder)
            for m in outcome.metrics {
                let paper = m.paper.map { " (paper: \(Headline.format($0, unit: m.unit)))" } ?? ""
                print("  \(m.name): \(m.formattedValue)" + paper)
            }
            print(String(format: "done in %.1f s; report: %@", outcome.seconds, folder.appendingPathComponent("report.html").path))
        } catch let stop as LabInterrupted {
            print(stop.description)
            throw ExitCode(130)
        }
    }
}
