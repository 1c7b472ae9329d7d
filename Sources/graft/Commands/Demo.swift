import ArgumentParser
import Foundation
import Graft
import GraftLabs

/// `graft demo`: the tour of the labs in quick mode, with an index page linking their reports.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run every lab in quick mode and write an index page linking their reports.",
        discussion: "The first thing to run. Each lab trains on real data at a small size and writes its report into OUT/NAME/report.html; OUT/index.html links them all. Labs in the tour: \(DemoTour.labs.map(\.name).joined(separator: ", "))."
    )

    @Option(name: .long, help: "Where the runs and index.html go.")
    var out: String = "graft-runs"

    @Option(name: .long, help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        try threadOptions.apply()
        let folder = URL(fileURLWithPath: out)
        let labs = DemoTour.labs
        print("Graft demo: \(labs.count) lab\(labs.count == 1 ? "" : "s") in quick mode, seed \(seed), \(ComputeThreads.count) threads -> \(folder.path)")
        fflush(nil)
        Interrupt.install()
        do {
            let outcome = try DemoTour.run(folder: folder, seed: seed, threads: ComputeThreads.count, log: { print($0); fflush(nil) })
            print("index: \(outcome.index.standardizedFileURL.path)")
            if !outcome.skipped.isEmpty {
                let list = outcome.skipped.map { "\($0.lab) (graft data fetch \($0.missing.joined(separator: ", ")))" }.joined(separator: ", ")
                print("\(outcome.skipped.count) lab\(outcome.skipped.count == 1 ? "" : "s") skipped until their data are fetched: \(list)")
            }
            if !outcome.failures.isEmpty {
                print("\(outcome.failures.count) lab\(outcome.failures.count == 1 ? "" : "s") failed: \(outcome.failures.map(\.lab).joined(separator: ", "))")
                throw ExitCode(1)
            }
        } catch let stop as LabInterrupted {
            print(stop.description)
            throw ExitCode(130)
        }
    }
}
