import Foundation
import Testing
@testable import GraftLabs

/// The harness's promise, checked on a lab's quick run: stopped at a random step boundary, the
/// lab keeps a checkpoint and `--resume` ends with exactly the numbers (metrics.json, byte for
/// byte) of an uninterrupted run; and, once training has started, no two stop checks are more
/// than 2 s apart, so Ctrl-C never waits longer than that.
enum ResumeCheck {
    /// A fresh temporary run folder.
    static func folder(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("graft-resume-\(tag)-\(UUID().uuidString)")
    }

    /// Counts the stop checks of a run and the longest wait for one.
    final class Polls: @unchecked Sendable {
        let lock = NSLock()
        var count = 0
        var last: Date?
        var longestGap = 0.0
        /// The stop check: records the poll and returns whether this is poll number `stopAt`.
        func poll(stopAt: Int?) -> Bool {
            lock.withLock {
                count += 1
                // From the first step on: loading the data before it is not a training step.
                if let last { longestGap = max(longestGap, Date().timeIntervalSince(last)) }
                last = Date()
                return stopAt.map { count >= $0 } ?? false
            }
        }
    }

    /// Runs `lab` whole, then stopped at a random one of its stop checks (drawn anew each test
    /// run and named on failure), then resumed; expects the same metrics.json.
    static func check(_ lab: any Lab, seed: UInt64 = 7, threads: Int = 1) throws {
        let whole = folder("\(lab.name)-whole"), split = folder("\(lab.name)-split")
        defer { try? FileManager.default.removeItem(at: whole); try? FileManager.default.removeItem(at: split) }
        let options = LabOptions(quick: true, seed: seed, threads: threads)
        let reference = Polls()
        _ = try LabRunner.run(lab, options: options, folder: whole, showProgress: false, stopRequested: { reference.poll(stopAt: nil) })
        #expect(reference.count > 1, "\(lab.name) never checks for a stop: it does not train through LabContext.train")
        #expect(reference.longestGap < 2, "\(lab.name): \(reference.longestGap) s between two stop checks; Ctrl-C would wait that long")
        guard reference.count > 1 else { return }
        // Not the last check: in a lab whose runs go in parallel it can come after they all ended.
        let stopAt = Int.random(in: 1..<max(2, reference.count - 1))
        let interrupted = Polls()
        do {
            _ = try LabRunner.run(lab, options: options, folder: split, showProgress: false,
                                  stopRequested: { interrupted.poll(stopAt: stopAt) })
            Issue.record("\(lab.name): the run finished although a stop was requested at check \(stopAt) of \(reference.count)")
            return
        } catch let stop as LabInterrupted {
            let checkpoint = try #require(stop.checkpoint, "\(lab.name): no checkpoint after the stop")
            #expect(FileManager.default.fileExists(atPath: checkpoint.path))
        }
        var resumed = options
        resumed.resume = true
        _ = try LabRunner.run(lab, options: resumed, folder: split, showProgress: false, stopRequested: { false })
        let a = try Data(contentsOf: whole.appendingPathComponent("metrics.json"))
        let b = try Data(contentsOf: split.appendingPathComponent("metrics.json"))
        #expect(a == b,
                "\(lab.name): the resumed run's numbers differ from the uninterrupted run's (stopped at check \(stopAt) of \(reference.count))")
    }
}
