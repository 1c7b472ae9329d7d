import Foundation
import Testing
@testable import GraftData
@testable import GraftLabs

@Suite struct StyleTransferLabTests {
    @Test func quickRunScoresEverySystemInBothDirections() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-style-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(StyleTransferLab(), options: LabOptions(quick: true, seed: 0, threads: 2), folder: folder, showProgress: false)
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
            #expect(referenceStyle > copyStyle, "\(direction): \(referenceStyle)% of the references and \(copyStyle)% of the copies in the target style")
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
}
