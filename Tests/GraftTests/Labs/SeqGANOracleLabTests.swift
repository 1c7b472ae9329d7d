import Foundation
import Testing
@testable import GraftLabs

@Suite struct SeqGANOracleLabTests {
    @Test func quickRunTrainsEveryMethodFromThePretrainedGenerator() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-seqgan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(SeqGANOracleLab(), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "\(name)").value }
        // MLE pre-training brings G's samples closer to the oracle than a random G's.
        let random = try value("random generator NLL-oracle"), pretrained = try value("pre-trained NLL-oracle")
        #expect(pretrained < random - 0.1, "random \(random), pre-trained \(pretrained)")
        // The oracle's own samples are the floor, below the pre-trained G.
        #expect(try value("oracle's own NLL-oracle") < pretrained)
        // Every method ends with finite NLLs within a nat or two of the pre-trained G (a few steps).
        let methods = SeqGANOracleLab.Method.allCases.map(\.rawValue)
        for method in methods {
            let o = try value("\(method) NLL-oracle"), g = try value("\(method) NLL-gen")
            #expect(o.isFinite && abs(o - pretrained) < 2, "\(method): \(o)")
            #expect(g.isFinite && g > 0, "\(method): \(g)")
        }
        #expect(try value("WGAN-GP (Gumbel) final critic loss").isFinite)
        // Quality and diversity of the samples: BLEU against held-out oracle sequences, self-BLEU, distinct-2.
        for method in ["pre-trained"] + methods {
            let bleu = try (2...5).map { try value("\(method) BLEU-\($0)") }
            #expect(bleu.allSatisfy { $0 >= 0 && $0 <= 100 } && bleu[0] > 0, "\(method): \(bleu)")
            #expect(zip(bleu, bleu.dropFirst()).allSatisfy { $0 >= $1 }, "\(method): BLEU-n should not rise with n on these samples: \(bleu)")
            let selfBLEU = try value("\(method) self-BLEU-3"), distinct = try value("\(method) distinct-2")
            #expect(selfBLEU > 0 && selfBLEU <= 100 && distinct > 0 && distinct <= 1, "\(method): \(selfBLEU), \(distinct)")
        }
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        for text in ["pre-training", "NLL-oracle", "NLL-gen", "SeqGAN table 1", "<svg", "self-BLEU-3", "temperature 1"] {
            #expect(html.contains(text), "\(text)")
        }
    }
}
