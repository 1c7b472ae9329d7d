import Foundation
import Testing
@testable import GraftLabs

@Suite struct SelfTaughtLabTests {
    @Test func quickRunComparesTheThreeRepresentations() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-self-taught-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(SelfTaughtLab(), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        for rep in SelfTaughtLab.Method.all.map(\.rawValue) {
            for count in [50, 500] {
                let v = try value("\(rep) accuracy, \(count) labels")
                #expect(v > 40 && v <= 100, "\(rep), \(count) labels: \(v)")
            }
        }
        // Learned features beat an untrained encoder of the same size, and more labels help.
        #expect(try value("learned features accuracy, 500 labels") > value("random encoder accuracy, 500 labels"))
        #expect(try value("learned features accuracy, 500 labels") > value("learned features accuracy, 50 labels"))
        let paper = try #require(outcome.metrics.first { $0.name == "learned features accuracy, 500 labels" })
        #expect(paper.paper == 98)
        #expect(try value("autoencoder final loss").isFinite)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("accuracy against labels") && html.contains("Learned filters") && html.contains("data:image/png;base64,"))
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "self-taught") is SelfTaughtLab)
    }
}
