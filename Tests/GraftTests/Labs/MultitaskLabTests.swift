import Foundation
import Testing
@testable import GraftLabs

@Suite struct MultitaskLabTests {
    @Test func quickRunRecordsBothCurves() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-multitask-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(MultitaskLab(), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "\(name)").value }
        for setting in ["single-task", "multitask"] {
            let small = try value("\(setting) error n=30"), large = try value("\(setting) error n=300")
            // Below chance error (90%), and more main-task data lowers it.
            #expect(small > 0 && small < 90 && large > 0 && large < small, "\(setting): \(small), \(large)")
        }
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: folder.appendingPathComponent("metrics.json")))
        let curve = try #require(record.curves.first { $0.name == "main-task error" })
        #expect(curve.order == ["single-task", "multitask"] && curve.series["multitask"]?.count == 2)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("main-task error") && html.contains("<svg") && html.contains("Multitask had the lower error"))
    }

    @Test func examplesToReachInterpolatesInLogN() throws {
        let sizes = [10, 100, 1000], errors = [40.0, 20, 10]
        // Halfway between 40% and 20% in error is halfway between 10 and 100 in log n.
        let mid = try #require(MultitaskLab.examplesToReach(30, sizes: sizes, errors: errors))
        #expect(abs(mid - 10.0.squareRoot() * 10) < 1e-9)
        #expect(MultitaskLab.examplesToReach(50, sizes: sizes, errors: errors) == 10)
        #expect(MultitaskLab.examplesToReach(5, sizes: sizes, errors: errors) == nil)
    }
}
