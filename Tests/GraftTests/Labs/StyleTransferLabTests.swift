import Foundation
import Testing
@testable import GraftData
@testable import GraftLabs

@Suite struct StyleTransferLabTests {
    @Test func quickRunScoresEverySystemInBothDirections() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-style-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(StyleTransferLab(), options: LabOptions(quick: true, seed: 0, threads: 2), folder: folder,
                                        showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "no metric \(name)").value }
        for direction in ["archaic→modern", "modern→archaic"] {
            for method in ["copy", "retrieve", "direct", "cross-aligned", "reference"] {
                let style = try value("\(direction) \(method) style accuracy"), ppl = try value("\(direction) \(method) perplexity")
                let selfBLEU = try value("\(direction) \(method) self-BLEU")
                #expect(style >= 0 && style <= 100, "\(direction) \(method): style \(style)")
                #expect(ppl >= 1 && ppl.isFinite, "\(direction) \(method): perplexity \(ppl)")
                #expect(selfBLEU >= 0 && selfBLEU <= 100 + 1e-9)
                if method != "reference" {
                    let bleu = try value("\(direction) \(method) BLEU")
                    #expect(bleu >= 0 && bleu <= 100)
                }
            }
            // Copying keeps the input word for word; the two versions share many words.
            #expect(abs(try value("\(direction) copy self-BLEU") - 100) < 1e-6)
            #expect(try value("\(direction) copy BLEU") > 10)
            // Even a quick classifier tells the real versions apart better than chance.
            let referenceStyle = try value("\(direction) reference style accuracy"), copyStyle = try value("\(direction) copy style accuracy")
            #expect(referenceStyle > copyStyle,
                    "\(direction): \(referenceStyle)% of the references and \(copyStyle)% of the copies in the target style")
        }
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<table") && html.contains("cross-aligned") && html.contains("retrieval"))
    }

    @Test func splitsTheTrainingVersesIntoDisjointHalves() throws {
        let verses = try BibleVerses.load()
        let corpus = try StyleTransferCorpus(verses, maxLength: 15, testCount: 50, perSide: 100_000, vocabularySize: 1000, seed: 4)
        let tokenizer = WordTokenizer(lowercased: true)
        let byReference = Dictionary(uniqueKeysWithValues: verses.map { ($0.reference, $0) })
        // Each training sentence is its verse's KJV (archaic side) or WEB (modern side) text.
        #expect(zip(corpus.references[0], corpus.words[0]).allSatisfy { tokenizer.tokenize(byReference[$0]!.kjv) == $1 })
        #expect(zip(corpus.references[1], corpus.words[1]).allSatisfy { tokenizer.tokenize(byReference[$0]!.web) == $1 })
        let archaicRefs = Set(corpus.references[0]), modernRefs = Set(corpus.references[1])
        let testRefs = Set(corpus.test.map(\.reference))
        #expect(corpus.test.count == 50 && testRefs.count == 50)
        // No verse on both training sides, and no test verse on either.
        #expect(archaicRefs.isDisjoint(with: modernRefs))
        #expect(testRefs.isDisjoint(with: archaicRefs) && testRefs.isDisjoint(with: modernRefs))
        #expect(abs(corpus.words[0].count - corpus.words[1].count) <= 1 && corpus.words[0].count + corpus.words[1].count + 50 == corpus.usable)
        #expect(corpus.words.allSatisfy { $0.allSatisfy { (1...15).contains($0.count) } })
        #expect(corpus.vocabulary.count <= 1000)
    }

    @Test func isRegistered() {
        #expect(LabRegistry.lab(named: "style-transfer") is StyleTransferLab)
    }

    @Test func copiesUnknownWordsFromTheInputInOrder() throws {
        let verses = try BibleVerses.load()
        let corpus = try StyleTransferCorpus(verses, maxLength: 12, testCount: 20, perSide: 2000, vocabularySize: 300, seed: 1)
        let v = corpus.vocabulary
        let source = ["and", "zorobabel", "begat", "qwertyuiop"]
        #expect(v.encode(["zorobabel"]) == [v.unknownIndex] && v.encode(["qwertyuiop"]) == [v.unknownIndex] && v.encode(["and"]) != [v.unknownIndex])
        let ids = v.encode(["and"]) + [v.unknownIndex, v.endIndex, v.unknownIndex, v.unknownIndex]
        // The first <unk> gets the first unknown input word, the second the next; a third has none and is dropped.
        #expect(corpus.decode(ids, copyingUnknownsFrom: source) == ["and", "zorobabel", "qwertyuiop"])
        #expect(corpus.decode(ids) == ["and", v.token(at: v.unknownIndex), v.token(at: v.unknownIndex), v.token(at: v.unknownIndex)])
        #expect(corpus.aligned && corpus.references(from: 0, to: 1)! == corpus.test.map { $0.words[1] })
        #expect(corpus.heldOut[0] == corpus.test.map { $0.words[0] })
    }
}

@Suite struct SentimentTransferLabTests {
    func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-style-sentiment-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func isRegisteredUnderItsOwnName() throws {
        let lab = try #require(LabRegistry.lab(named: "style-transfer-sentiment") as? StyleTransferLab)
        #expect(lab.task == .sentiment && lab.datasets == ["rt"])
        #expect(StyleTransferLab().datasets == ["bible"] && StyleTransferLab().missingData().isEmpty)
    }

    @Test func missingSnippetsSayHowToFetchThem() throws {
        let home = try temporaryFolder("empty-home"), folder = try temporaryFolder("run")
        defer { try? FileManager.default.removeItem(at: home); try? FileManager.default.removeItem(at: folder) }
        let lab = StyleTransferLab(task: .sentiment, dataHome: home)
        #expect(lab.missingData() == ["rt"])
        do {
            _ = try LabRunner.run(lab, options: LabOptions(quick: true, threads: 1), folder: folder, showProgress: false)
            Issue.record("the lab ran without the Rotten Tomatoes snippets")
        } catch let error as LabError {
            #expect(error.message.contains("graft data fetch rt") && error.message.contains(home.path), "\(error)")
        }
    }

    @Test func holdsOutUnpairedSnippetsOfEachSentiment() throws {
        let rotten = (0..<300).map { "a dull film number \($0 % 250), sadly w\($0 % 250 % 7) ." }
            + ["one two three four five six seven eight nine ten eleven twelve thirteen"]
        let fresh = (0..<200).map { "A Great film, number \($0) and W\($0 % 5) !" }
        let corpus = try StyleTransferCorpus(sentiment: RottenTomatoes(fresh: fresh, rotten: rotten), maxLength: 10, testCount: 30, perSide: 150,
                                             vocabularySize: 40, seed: 3)
        #expect(!corpus.aligned && corpus.test.isEmpty && corpus.references(from: 0, to: 1) == nil)
        #expect(corpus.heldOut.map(\.count) == [30, 30] && corpus.words.map(\.count) == [150, 150])
        // Duplicates and over-long snippets are dropped: 250 distinct rotten, 200 fresh.
        #expect(corpus.usable == 450 && corpus.verses == 501)
        for s in 0..<2 {
            #expect(Set(corpus.heldOut[s]).isDisjoint(with: Set(corpus.words[s])))
            #expect((corpus.heldOut[s] + corpus.words[s]).allSatisfy { (1...10).contains($0.count) && $0 == $0.map { $0.lowercased() } })
        }
        #expect(corpus.words[0].allSatisfy { $0.contains("dull") } && corpus.words[1].allSatisfy { $0.contains("great") })
        #expect(corpus.vocabulary.count <= 40 && corpus.styleNames == StyleTransferCorpus.sentiments)
    }

    /// The quick run on the fetched snippets: when they are not in the user's data folder, the
    /// project's fetcher fills a temporary one (cancelled when it cannot be downloaded).
    @Test func quickRunOnRottenTomatoes() throws {
        let home = try FetchedDataHome("rt", what: "the Rotten Tomatoes snippets")
        let folder = try temporaryFolder("quick")
        defer {
            try? FileManager.default.removeItem(at: folder)
            home.remove()
        }
        let outcome = try LabRunner.run(StyleTransferLab(task: .sentiment, dataHome: home.url), options: LabOptions(quick: true, seed: 0, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "no metric \(name)").value }
        for direction in ["negative→positive", "positive→negative"] {
            for method in ["copy", "retrieve", "direct", "cross-aligned", "real"] {
                let style = try value("\(direction) \(method) style accuracy"), ppl = try value("\(direction) \(method) perplexity")
                #expect(style >= 0 && style <= 100, "\(direction) \(method): style \(style)")
                #expect(ppl >= 1 && ppl.isFinite, "\(direction) \(method): perplexity \(ppl)")
                #expect(!outcome.metrics.contains { $0.name == "\(direction) \(method) BLEU" }, "no reference, so no BLEU to one")
                if method != "real" { #expect(try value("\(direction) \(method) self-BLEU") >= 0) }
            }
            // Copying keeps every word; snippets shorter than four words still count one missing
            // 4-gram each (NLTK's corpus BLEU), so copy scores just under 100 and above every other system.
            let copyKept = try value("\(direction) copy self-BLEU")
            #expect(copyKept > 99 && copyKept <= 100)
            for method in ["retrieve", "direct", "cross-aligned"] { #expect(try value("\(direction) \(method) self-BLEU") <= copyKept) }
            // Even a quick classifier puts real target-sentiment snippets in the target sentiment more often than the inputs.
            #expect(try value("\(direction) real style accuracy") > value("\(direction) copy style accuracy"))
        }
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Rotten Tomatoes") && html.contains("not paired"))
    }
}
