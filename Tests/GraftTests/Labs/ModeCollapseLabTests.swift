import Foundation
import Testing
@testable import GraftLabs

@Suite struct ModeCollapseLabTests {
    @Test func quickRunMeasuresEveryVariantOnBothMixtures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-mode-collapse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(ModeCollapseLab(), options: LabOptions(quick: true, seed: 1, threads: 2), folder: folder, showProgress: false)
        for (mixture, modes) in [("ring", 8.0), ("grid", 25.0)] {
            for variant in ModeCollapseLab.Method.allCases.map(\.rawValue) {
                let covered = try #require(outcome.metrics.first { $0.name == "\(mixture): \(variant) modes covered (of \(Int(modes)))" })
                #expect(covered.value >= 0 && covered.value <= modes)
                let quality = try #require(outcome.metrics.first { $0.name == "\(mixture): \(variant) high-quality samples" })
                #expect(quality.value >= 0 && quality.value <= 100 && quality.unit == "%")
            }
        }
        #expect(outcome.metrics.first { $0.name == "grid: PacGAN2 modes covered (of 25)" }?.paper == 23.8)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Modes covered on the ring") && html.contains("Samples on the grid (first seed)")
                && html.contains("PacGAN Table 1"))
        #expect(html.contains("modes covered on the grid"))   // the training curve
    }

    @Test func theResultsDoNotDependOnTheThreadCount() throws {
        var metrics: [[Headline]] = []
        for threads in [1, 2] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-mode-collapse-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            metrics.append(try LabRunner.run(ModeCollapseLab(), options: LabOptions(quick: true, seed: 3, threads: threads), folder: folder,
                                             showProgress: false).metrics)
        }
        #expect(metrics[0].count == 30)
        #expect(metrics[0] == metrics[1])
    }

    @Test func spreadIsThePopulationStandardDeviation() {
        let (mean, spread) = ModeCollapseLab.meanAndSpread([6, 8, 7])
        #expect(mean == 7 && abs(spread - (2.0 / 3).squareRoot()) < 1e-12)
    }
}
