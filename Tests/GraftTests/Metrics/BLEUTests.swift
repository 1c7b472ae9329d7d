import Foundation
import Testing
@testable import GraftMetrics

/// BLEU against NLTK's values (scripts/make_bleu_fixtures.py) and hand-computed edge cases.
@Suite struct BLEUTests {
    struct Fixture {
        let json: [String: Any]
        var candidates: [[String]] { json["candidates"] as! [[String]] }
        var references: [[[String]]] { json["references"] as! [[[String]]] }
        init() throws {
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("metrics/bleu.json"))) as! [String: Any]
        }
    }

    @Test func corpusBLEUMatchesNLTKForOrdersOneToFive() throws {
        let f = try Fixture()
        #expect((f.json["reference"] as! String).hasPrefix("nltk "))
        let expected = f.json["corpus_by_max_order"] as! [String: [Double]]
        for (name, smoothing) in [("none", BLEUSmoothing.none), ("method1", .method1), ("method2", .addOne)] {
            for n in 1...5 {
                let r = try BLEU.corpus(candidates: f.candidates, references: f.references, maxOrder: n, smoothing: smoothing)
                let want = expected[name]![n - 1]
                #expect(abs(r.score - want) < 1e-6, "\(name) BLEU-\(n): \(r.score) vs NLTK \(want)")
            }
        }
    }

    @Test func sentenceBLEUMatchesNLTKWithBothSmoothings() throws {
        let f = try Fixture()
        let expected = f.json["sentence_by_max_order"] as! [String: [[Double]]]
        for (name, smoothing) in [("method1", BLEUSmoothing.method1), ("method2", .addOne)] {
            for (i, candidate) in f.candidates.enumerated() {
                for n in 1...5 {
                    let got = try BLEU.sentence(candidate: candidate, references: f.references[i], maxOrder: n, smoothing: smoothing)
                    let want = expected[name]![i][n - 1]
                    #expect(abs(got - want) < 1e-6, "\(name) sentence \(i) BLEU-\(n): \(got) vs NLTK \(want)")
                }
            }
        }
    }

    @Test func selfBLEUMatchesTexygensDefinition() throws {
        let f = try Fixture()
        let samples = f.json["self_bleu_samples"] as! [[String]]
        let expected = f.json["self_bleu_method1_by_max_order"] as! [String: Double]
        for n in 2...5 {
            let got = try BLEU.selfBLEU(samples, maxOrder: n)
            #expect(abs(got - expected[String(n)]!) < 1e-6, "self-BLEU-\(n): \(got) vs \(expected[String(n)]!)")
        }
        // Identical samples repeat each other perfectly; a single sample is refused.
        #expect(abs(try BLEU.selfBLEU([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]) - 1) < 1e-12)
        #expect(throws: MetricError.self) { try BLEU.selfBLEU([[1, 2]]) }
    }

    @Test func identicalIsOneAndNoOverlapIsZero() throws {
        let ref = [[1, 2, 3, 4, 5], [6, 7, 8, 9]]
        let same = try BLEU.corpus(candidates: ref, references: ref)
        #expect(same.score == 1 && same.brevityPenalty == 1 && same.precisions == [1, 1, 1, 1])
        let disjoint = try BLEU.corpus(candidates: [[10, 11, 12, 13, 14]], references: [[1, 2, 3, 4, 5]])
        #expect(disjoint.score == 0 && disjoint.matches == [0, 0, 0, 0])
        // No unigram match stays 0 even with smoothing.
        #expect(try BLEU.sentence(candidate: [10, 11, 12], references: [[1, 2, 3]], smoothing: .method1) == 0)
    }

    @Test func brevityPenaltyUsesTheClosestReference() throws {
        // Candidate of 4 tokens, all matching; references of 8 and 10 tokens: r = 8, BP = exp(1 - 8/4).
        let candidate = [1, 2, 3, 4]
        let r = try BLEU.corpus(candidates: [candidate], references: [[[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]])
        #expect(r.referenceLength == 8 && r.candidateLength == 4)
        #expect(abs(r.brevityPenalty - exp(-1)) < 1e-12 && abs(r.score - exp(-1)) < 1e-12)
        // Ties in distance go to the shorter reference: lengths 3 and 5 for a candidate of 4 give r = 3, BP = 1.
        let tie = try BLEU.corpus(candidates: [candidate], references: [[[1, 2, 3], [1, 2, 3, 4, 5]]], maxOrder: 2)
        #expect(tie.referenceLength == 3 && tie.brevityPenalty == 1)
    }

    @Test func clippingAndHandComputedPrecisions() throws {
        // "the the the the" against "the cat the": unigram matches clipped to 2 of 4, bigram "the the" 0 of 3.
        let r = try BLEU.corpus(candidates: [["the", "the", "the", "the"]], references: [["the", "cat", "the"]], maxOrder: 2)
        #expect(r.matches == [2, 0] && r.totals == [4, 3])
        #expect(r.score == 0)
        let smoothed = try BLEU.corpus(candidates: [["the", "the", "the", "the"]], references: [["the", "cat", "the"]], maxOrder: 2,
                                       smoothing: .epsilon(0.1))
        #expect(abs(smoothed.score - (0.5 * 0.1 / 3).squareRoot()) < 1e-12)
    }

    @Test func shortCandidatesCountOneLikeNLTKOrZeroLikePapineni() throws {
        // A perfect corpus with a 2-token sentence: NLTK's convention adds a 3- and a 4-gram total of 1.
        let corpus = [[1, 2, 3, 4, 5], [6, 7]]
        let nltk = try BLEU.corpus(candidates: corpus, references: corpus)
        #expect(nltk.totals == [7, 5, 4, 3] && nltk.matches == [7, 5, 3, 2] && nltk.score < 1)
        let papineni = try BLEU.corpus(candidates: corpus, references: corpus, shortCandidates: .countZero)
        #expect(papineni.totals == [7, 5, 3, 2] && papineni.score == 1)
        // A corpus without any 4-gram: that order leaves the mean (BLEU-3 of the same corpus).
        let short = try BLEU.corpus(candidates: [[1, 2, 3]], references: [[1, 2, 3]], shortCandidates: .countZero)
        #expect(short.score == 1 && short.totals == [3, 2, 1, 0])
    }

    @Test func badInputsThrow() {
        #expect(throws: MetricError.self) { try BLEU.corpus(candidates: [[1]], references: [[[Int]]]()) }
        #expect(throws: MetricError.self) { try BLEU.corpus(candidates: [[1]], references: [[[Int]]]([[]])) }
        #expect(throws: MetricError.self) { try BLEU.corpus(candidates: [[1]], references: [[1]], maxOrder: 0) }
    }
}

@Suite struct BLEUReferenceSetTests {
    /// Random token sentences of lengths 1...9 over a small vocabulary, so n-grams repeat.
    func sentences(_ count: Int, seed: UInt64) -> [[Int]] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in (0..<(1 + next(9))).map { _ in next(6) } }
    }

    @Test func equalsCorpusBLEUWithTheSetAsEveryReferenceList() throws {
        let references = sentences(40, seed: 1), candidates = sentences(25, seed: 2)
        let set = try BLEUReferenceSet(references, maxOrder: 5)
        for order in 1...5 {
            for smoothing in [BLEUSmoothing.none, .method1, .addOne] {
                for short in [BLEUShortCandidates.countOne, .countZero] {
                    let expected = try BLEU.corpus(candidates: candidates, references: candidates.map { _ in references }, maxOrder: order,
                                                   smoothing: smoothing, shortCandidates: short)
                    let got = try set.corpus(candidates, order: order, smoothing: smoothing, shortCandidates: short)
                    #expect(got == expected, "order \(order), \(smoothing), \(short)")
                }
            }
        }
        #expect(try set.sentence(candidates[3], order: 3) == BLEU.sentence(candidate: candidates[3], references: references, maxOrder: 3))
    }

    @Test func aCandidateFromTheSetScoresOne() throws {
        let set = try BLEUReferenceSet([["the", "cat", "sat", "on", "the", "mat"], ["a", "dog"]], maxOrder: 4)
        #expect(try set.corpus([["the", "cat", "sat", "on", "the", "mat"]], order: 4).score == 1)
        #expect(try set.corpus([["mat", "the"]], order: 2).score == 0)
    }

    @Test func refusesBadSettings() {
        #expect(throws: MetricError.self) { try BLEUReferenceSet([[Int]](), maxOrder: 4) }
        #expect(throws: MetricError.self) { try BLEUReferenceSet([[1, 2]], maxOrder: 0) }
        #expect(throws: MetricError.self) { try BLEUReferenceSet([[1, 2]], maxOrder: 2).corpus([[1]], order: 3) }
    }
}
