import Foundation
import Testing
@testable import GraftLabs

@Suite struct ZeroShotTranslationLabTests {
    @Test func quickRunComparesTheRoutesOfBothSetups() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-zero-shot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(ZeroShotTranslationLab(), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        for prefix in ["", "4-language "] {
            for route in ["zero-shot B→C", "pivot B→A→C", "supervised A→C"] {
                let bleu = try value("\(prefix)\(route) BLEU"), exact = try value("\(prefix)\(route) exact match")
                #expect(bleu >= 0 && bleu <= 100 && exact >= 0 && exact <= 100, "\(prefix)\(route): BLEU \(bleu), exact \(exact)")
            }
            // Even a quick run learns the directions each model was trained on.
            #expect(try value("\(prefix)supervised A→C BLEU") > 30)
            let languages = prefix.isEmpty ? ["A", "B", "C"] : ["A", "B", "C", "D"]
            let shares = try languages.map { try value("\(prefix)zero-shot output words of \($0)") }
            #expect(shares.allSatisfy { $0 >= 0 && $0 <= 100 } && shares.reduce(0, +) <= 100.01, "\(prefix)shares \(shares)")
        }
        #expect(try value("direct B→C BLEU") > 30)
        // Seed 0, 2 threads (deterministic): once <2C> has been learned with two source languages the
        // zero-shot output is mostly in C (measured 95-100%), while the bridge model answers in A.
        #expect(try value("4-language zero-shot output words of C") > 50)
        #expect(try value("zero-shot output words of A") > 50)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("dev BLEU") && html.contains("training loss") && html.contains("C reference") && html.contains("<table"))
        #expect(html.contains("4 languages, all but B↔C") && html.contains("zero-shot words of D %"))
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "zero-shot-translation") is ZeroShotTranslationLab)
    }
}
