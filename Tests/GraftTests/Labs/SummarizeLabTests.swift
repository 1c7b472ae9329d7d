import Foundation
import Testing
@testable import GraftData
@testable import GraftLabs

@Suite struct SummarizeLabTests {
    @Test func quickRunComparesTheSummarizers() throws {
        let lab = SummarizeLab()
        guard lab.missingData().isEmpty else { try Test.cancel("the BBC articles are not fetched (graft data fetch bbc)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-summarize-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(lab, options: LabOptions(quick: true, seed: 0, threads: 2), folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        let sizes = SummarizeLab.sizes(quick: true)
        for method in SummarizeLab.methods(sizes).map({ $0.name(sizes) }) {
            for measure in ["ROUGE-1", "ROUGE-2", "ROUGE-L"] {
                let v = try value("\(method) \(measure)")
                #expect(v >= 0 && v <= 100, "\(method) \(measure): \(v)")
            }
            let length = try value("\(method) mean length")
            #expect(length >= 0 && length <= Double(sizes.summaryLength), "\(method): mean length \(length)")
        }
        // The lead baseline copies the article's first words, so it always has K words from the article
        // and overlaps the headline somewhat.
        #expect(try value("lead-\(sizes.summaryLength) mean length") == Double(sizes.summaryLength))
        #expect(try value("lead-\(sizes.summaryLength) words from the article") == 100)
        #expect(try value("lead-\(sizes.summaryLength) ROUGE-1") > 5)
        #expect(try value("headline mean length") > 3)
        // The copying generator starts from the article's words, so its summaries differ from
        // article to article (the vocabulary-only version wrote one summary for all of them).
        #expect(try value("unsupervised distinct summaries") > 50)
        #expect(try value("unsupervised words from the article") > 50)
        for name in ["unsupervised reconstruction accuracy", "unsupervised reconstruction accuracy from another article's summary",
                     "no discriminator reconstruction accuracy", "no-summary reconstruction accuracy"] {
            let v = try value(name)
            #expect(v > 0 && v <= 100, "\(name): \(v)")
        }
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<table") && html.contains("headline") && html.contains("unsupervised") && html.contains("ROUGE-L"))
    }

    @Test func splitsArticlesIntoDisjointSets() throws {
        guard SummarizeLab().missingData().isEmpty else { try Test.cancel("the BBC articles are not fetched (graft data fetch bbc)") }
        let articles = try BBCNews.load()
        let corpus = try SummarizeCorpus(articles, documentWords: 30, testCount: 100, vocabularySize: 2000, seed: 4)
        #expect(corpus.test.count == 100)
        #expect(corpus.train.count + corpus.headlines.count + 100 <= articles.count
                && corpus.train.count + corpus.headlines.count >= articles.count - 110)
        #expect(corpus.train.allSatisfy { $0.words.count <= 30 && $0.tokens.count == $0.words.count })
        #expect(corpus.vocabulary.count <= 2000 && corpus.pairedVocabulary.count <= 2000)
        // The supervised model's vocabulary includes its training headlines' words; the shared one
        // (training articles and the other half's headlines) knows fewer of them.
        let paired = SummarizeCorpus.unknownShare(corpus.train.map(\.pairedTitleTokens), corpus.pairedVocabulary)
        let shared = SummarizeCorpus.unknownShare(corpus.train.map(\.titleTokens), corpus.vocabulary)
        #expect(paired < shared, "unknown share of the training headlines: \(paired) with their own vocabulary, \(shared) with the shared one")
        // The same seed gives the same split; another seed another one.
        let again = try SummarizeCorpus(articles, documentWords: 30, testCount: 100, vocabularySize: 2000, seed: 4)
        #expect(again.test.map(\.title) == corpus.test.map(\.title))
        let other = try SummarizeCorpus(articles, documentWords: 30, testCount: 100, vocabularySize: 2000, seed: 5)
        #expect(other.test.map(\.title) != corpus.test.map(\.title))
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "summarize") is SummarizeLab)
        #expect(SummarizeLab().datasets == ["bbc"])
    }
}
