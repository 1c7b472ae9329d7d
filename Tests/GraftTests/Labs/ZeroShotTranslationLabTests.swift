import Foundation
import Testing
@testable import GraftLabs

@Suite struct ZeroShotTranslationLabTests {
    @Test func quickRunComparesTheThreeRoutes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-zero-shot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(ZeroShotTranslationLab(), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        for route in ["zero-shot B→C", "pivot B→A→C", "direct B→C", "supervised A→C"] {
            let bleu = try value("\(route) BLEU"), exact = try value("\(route) exact match")
            #expect(bleu >= 0 && bleu <= 100 && exact >= 0 && exact <= 100, "\(route): BLEU \(bleu), exact \(exact)")
        }
        // Even a quick run learns the directions it was trained on.
        #expect(try value("direct B→C BLEU") > 30)
        #expect(try value("supervised A→C BLEU") > 30)
        let share = try value("zero-shot output words of C")
        #expect(share >= 0 && share <= 100)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("dev BLEU") && html.contains("training loss") && html.contains("C reference") && html.contains("<table"))
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "zero-shot-translation") is ZeroShotTranslationLab)
    }
}
