import Foundation
import Testing
@testable import GraftLabs

@Suite struct ProgressiveLabTests {
    @Test func quickRunKeepsEarlierTasksExactlyAndFineTuningForgets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-progressive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(ProgressiveLab(), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        // The progressive network's earlier columns are frozen: their outputs, hence accuracies, are exactly unchanged.
        #expect(try value("progressive forgetting") == 0)
        #expect(try value("progressive largest change of an earlier task's output") == 0)
        let progressiveFirst = try value("progressive task 1 accuracy at the end")
        #expect(progressiveFirst > 90 && progressiveFirst <= 100)
        // Fine-tuning the shared trunk on later tasks costs accuracy on the first.
        #expect(try value("fine-tuning forgetting") > 0)
        #expect(try value("fine-tuning task 1 accuracy at the end") < progressiveFirst)
        for name in ["later-task accuracy with laterals", "later-task accuracy without laterals", "later-task accuracy with fine-tuning"] {
            let v = try value(name)
            #expect(v > 60 && v <= 100, "\(name) = \(v)")
        }
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("task 1 accuracy as tasks are added") && html.contains("task 2 accuracy as tasks are added"))
        #expect(html.contains("Accuracy on each later task right after learning it") && html.contains("<svg"))
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "progressive") is ProgressiveLab)
    }
}
