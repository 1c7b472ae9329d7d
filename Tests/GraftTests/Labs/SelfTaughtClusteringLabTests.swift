import Foundation
import Testing
@testable import GraftLabs

@Suite struct SelfTaughtClusteringLabTests {
    @Test func quickRunScoresEveryMethod() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-stc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = LabOptions(quick: true, seed: 0, threads: 2)
        let outcome = try LabRunner.run(SelfTaughtClusteringLab(), options: options, folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        for method in ["k-means", "co-clustering (target only)", "self-taught clustering"] {
            // Five clusters of five digits: chance accuracy is about 20%, NMI about 0.
            let accuracy = try value("\(method) accuracy"), nmi = try value("\(method) NMI")
            #expect(accuracy > 30 && accuracy <= 100, "\(method) accuracy \(accuracy)")
            #expect(nmi > 0.1 && nmi <= 1, "\(method) NMI \(nmi)")
        }
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: folder.appendingPathComponent("metrics.json")))
        let objective = try #require(record.curves.first { $0.name == "objective" }?.series[""])
        #expect(objective.count >= 2)
        #expect(zip(objective, objective.dropFirst()).allSatisfy { $1[1] <= $0[1] + 1e-9 })
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Clustering accuracy on the target digits") && html.contains("Normalized mutual information"))
        // Same seed, same numbers.
        let again = folder.appendingPathComponent("again")
        let second = try LabRunner.run(SelfTaughtClusteringLab(), options: options, folder: again, showProgress: false)
        #expect(second.metrics == outcome.metrics)
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "self-taught-clustering") is SelfTaughtClusteringLab)
    }
}
