import Foundation
import Testing
@testable import GraftData
@testable import GraftLabs

@Suite struct ChatbotLabTests {
    @Test func quickRunComparesTheThreeGenerators() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-chatbot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(ChatbotLab(), options: LabOptions(quick: true, seed: 0, threads: 2), folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        for method in ["MLE", "RL", "GAN", "human"] {
            let length = try value("\(method) mean length"), d1 = try value("\(method) distinct-1"), d2 = try value("\(method) distinct-2")
            let top = try value("\(method) top answer share")
            #expect(length >= 0 && length <= 12, "\(method): mean length \(length)")
            #expect(d1 >= 0 && d1 <= 1 && d2 >= 0 && d2 <= 1, "\(method): distinct \(d1), \(d2)")
            #expect(top > 0 && top <= 100, "\(method): top share \(top)")
        }
        for method in ["MLE", "RL", "GAN"] {
            let bleu = try value("\(method) BLEU-2")
            #expect(bleu >= 0 && bleu <= 100, "\(method): BLEU-2 \(bleu)")
        }
        let copied = try value("MLE samples copying a human answer")
        #expect(copied >= 0 && copied <= 100)
        // Even a quick MLE model says something, and human answers are varied.
        #expect(try value("MLE mean length") > 1)
        #expect(try value("human distinct-2") > 0.5)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<table") && html.contains("utterance") && html.contains("top answer share") && html.contains("rank"))
    }

    @Test func holdsOutDistinctUtterances() throws {
        let corpus = try ChatbotCorpus(try ChatterBotPairs.load(), maxLength: 20, testShare: 0.1, seed: 3)
        let trainQueries = Set(corpus.train.map(\.query))
        #expect(corpus.test.count == Int((Double(corpus.distinctUtterances) * 0.1).rounded()))
        #expect(Set(corpus.test.map(\.utterance)).count == corpus.test.count)
        // No held-out utterance appears word for word among the training queries.
        #expect(corpus.test.allSatisfy { item in !item.utterance.contains(where: { !corpus.vocabulary.contains($0) }) ? !trainQueries.contains(item.query) : true })
        #expect(corpus.test.allSatisfy { !$0.answers.isEmpty && $0.answers.allSatisfy { $0.count <= 20 } })
    }

    @Test func joinsQueryAndResponseToAFixedLength() {
        #expect(ChatbotLab.joinPair(query: [4, 5], response: [6], separator: 9, padIndex: 0, length: 6) == [4, 5, 9, 6, 0, 0])
        #expect(ChatbotLab.joinPair(query: [4, 5, 6], response: [7, 8, 4], separator: 9, padIndex: 0, length: 5) == [4, 5, 6, 9, 7])
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "chatbot") is ChatbotLab)
    }
}
