import ArgumentParser
import Foundation
import Graft
import GraftLabs

/// `graft demo`: the tour of the labs in quick mode, with an index page linking their reports.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run every lab in quick mode and write an index page linking their reports.",
        discussion: """
            The first thing to run. Each lab trains on real data at a small size and writes its report into \
            OUT/NAME/report.html; OUT/index.html links them all. Labs in the tour: \
            \(DemoTour.labs.map(\.name).joined(separator: ", ")).
            """
    )

    @OptionGroup var runOptions: RunOptions

    func validate() throws {
        if runOptions.resolvedSize(default: .quick) != .quick {
            throw ValidationError("the demo runs every lab at --size quick for now; run `graft lab NAME --size full` for one full lab")
        }
    }

    func run() throws {
        let options = try runOptions.labOptions(default: .quick)
        let (seed, folder) = (options.seed, runOptions.folder(default: "graft-runs"))
        let labs = DemoTour.labs
        print("Graft demo: \(labs.count) lab\(labs.count == 1 ? "" : "s") in quick mode, seed \(seed), "
              + "\(ComputeThreads.count) threads -> \(folder.path)")
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
                print("\(outcome.failures.count) lab\(outcome.failures.count == 1 ? "" : "s") failed: "
                      + "\(outcome.failures.map(\.lab).joined(separator: ", "))")
                throw ExitCode(1)
            }
        } catch let stop as LabInterrupted {
            print(stop.description)
            throw ExitCode(130)
        }
    }
}
