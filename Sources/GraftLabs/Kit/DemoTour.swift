import Foundation
import GraftReport

/// `graft demo`: every lab in the tour, run in quick mode, each into its own folder, and an
/// index page (`index.html`) linking their reports.
public enum DemoTour {
    /// The labs the tour runs, in order: every lab Graft ships.
    public static var labs: [any Lab] { LabRegistry.all }

    /// What the tour did.
    public struct Outcome {
        /// The index page.
        public let index: URL
        /// Each lab's run folder and report, in tour order.
        public let runs: [LabRunner.Outcome]
        /// Labs that failed, with their errors (the tour goes on without them).
        public let failures: [(lab: String, error: String)]
        /// Labs not run because data sets they need have not been fetched, with those names.
        public let skipped: [(lab: String, missing: [String])]
    }

    /// Runs `labs` in quick mode under `folder` (one sub-folder each) with `seed` and `threads`,
    /// then writes `folder/index.html`; `log` receives a line per lab.
    public static func run(labs: [any Lab] = DemoTour.labs, folder: URL, seed: UInt64 = 0, threads: Int,
                           showProgress: Bool = true, stopRequested: @escaping () -> Bool = { Interrupt.requested },
                           log: (String) -> Void = { _ in }) throws -> Outcome {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var index = IndexPage(title: "Graft demo: the labs in quick mode",
                              summary: "Each lab below ran in quick mode (small data, few steps) with seed \(seed) on "
                                + "\(threads) thread\(threads == 1 ? "" : "s"); run `graft lab NAME` for the full experiment.")
        var runs: [LabRunner.Outcome] = []
        var failures: [(String, String)] = []
        var skipped: [(String, [String])] = []
        for (number, lab) in labs.enumerated() {
            log("[\(number + 1)/\(labs.count)] \(lab.name): \(lab.title)")
            let missing = lab.missingData()
            if !missing.isEmpty {
                let commands = missing.map { "`graft data fetch \($0)`" }.joined(separator: " and ")
                skipped.append((lab.name, missing))
                index.entries.append(.init(title: lab.title, href: "\(lab.name)/",
                                           summary: "Skipped in the tour: it needs \(missing.joined(separator: ", ")), which is not in "
                                                + "the data folder; run \(commands), then `graft lab \(lab.name) --quick`."))
                log("      skipped: needs \(missing.joined(separator: ", ")); run \(commands)")
                continue
            }
            let options = LabOptions(quick: true, seed: seed, threads: threads)
            do {
                let outcome = try LabRunner.run(lab, options: options, folder: folder.appendingPathComponent(lab.name),
                                                showProgress: showProgress, stopRequested: stopRequested)
                index.add(outcome.report, href: "\(lab.name)/report.html")
                runs.append(outcome)
                log(String(format: "      done in %.1f s: ", outcome.seconds)
                    + outcome.metrics.prefix(3).map { "\($0.name) \($0.formattedValue)" }.joined(separator: ", "))
            } catch let stop as LabInterrupted {
                try index.write(to: folder.appendingPathComponent("index.html"))
                throw stop
            } catch {
                failures.append((lab.name, "\(error)"))
                index.entries.append(.init(title: lab.title, href: "\(lab.name)/", summary: "This lab failed in the tour: \(error)"))
                log("      failed: \(error)")
            }
        }
        let url = folder.appendingPathComponent("index.html")
        try index.write(to: url)
        return Outcome(index: url, runs: runs, failures: failures, skipped: skipped)
    }
}
