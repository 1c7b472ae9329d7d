import Foundation
import Testing
@testable import GraftMetrics

/// ROUGE against Google's rouge-score (scripts/make_rouge_fixtures.py) and hand-computed cases.
@Suite struct ROUGETests {
    struct Case {
        let candidate: String, reference: String
        let candidateTokens: [String], referenceTokens: [String]
        let expected: [String: [Double]]
    }

    static func fixture() throws -> (reference: String, cases: [Case], corpus: [String: [Double]]) {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("rouge/rouge.json"))) as! [String: Any]
        let cases = (json["cases"] as! [[String: Any]]).map { c in
            Case(candidate: c["candidate"] as! String, reference: c["reference"] as! String,
                 candidateTokens: c["candidate_tokens"] as! [String], referenceTokens: c["reference_tokens"] as! [String],
                 expected: ["rouge1": c["rouge1"] as! [Double], "rouge2": c["rouge2"] as! [Double], "rougeL": c["rougeL"] as! [Double]])
        }
        return (json["reference"] as! String, cases, json["corpus_mean"] as! [String: [Double]])
    }

    static func parts(_ s: ROUGEScores) -> [String: [Double]] {
        ["rouge1": [s.rouge1.precision, s.rouge1.recall, s.rouge1.f1], "rouge2": [s.rouge2.precision, s.rouge2.recall, s.rouge2.f1],
         "rougeL": [s.rougeL.precision, s.rougeL.recall, s.rougeL.f1]]
    }

    @Test func tokenizerMatchesRougeScore() throws {
        let f = try Self.fixture()
        #expect(f.reference.hasPrefix("rouge-score "))
        #expect(f.cases.count >= 12)
        for c in f.cases {
            #expect(ROUGE.tokenize(c.candidate) == c.candidateTokens, "\(c.candidate)")
            #expect(ROUGE.tokenize(c.reference) == c.referenceTokens, "\(c.reference)")
        }
    }

    @Test func pairScoresMatchRougeScore() throws {
        for c in try Self.fixture().cases {
            let fromText = Self.parts(ROUGE.scores(candidate: c.candidate, reference: c.reference))
            let fromTokens = Self.parts(ROUGE.scores(candidate: c.candidateTokens, reference: c.referenceTokens))
            for type in ["rouge1", "rouge2", "rougeL"] {
                for i in 0..<3 {
                    #expect(abs(fromText[type]![i] - c.expected[type]![i]) < 1e-6,
                            "\(type)[\(i)] of '\(c.candidate)' vs '\(c.reference)': \(fromText[type]![i]) vs \(c.expected[type]![i])")
                    #expect(fromTokens[type]![i] == fromText[type]![i])
                }
            }
        }
    }

    @Test func corpusScoresAreMeansOfPairScores() throws {
        let f = try Self.fixture()
        let got = Self.parts(try ROUGE.corpus(candidates: f.cases.map(\.candidateTokens), references: f.cases.map(\.referenceTokens)))
        for type in ["rouge1", "rouge2", "rougeL"] {
            for i in 0..<3 { #expect(abs(got[type]![i] - f.corpus[type]![i]) < 1e-6, "corpus \(type)[\(i)]") }
        }
        #expect(throws: MetricError.self) { try ROUGE.corpus(candidates: [[1]], references: [[1], [2]]) }
        #expect(throws: MetricError.self) { try ROUGE.corpus(candidates: [[Int]](), references: []) }
    }

    @Test func emptySidesScoreZero() throws {
        for (c, r) in [([Int](), [1, 2, 3]), ([1, 2], []), ([], [])] {
            let s = ROUGE.scores(candidate: c, reference: r)
            #expect(s.rouge1 == .zero && s.rouge2 == .zero && s.rougeL == .zero)
        }
        #expect(throws: MetricError.self) { try ROUGE.n(candidate: [1], reference: [1], n: 0) }
    }

    @Test func handComputedClippingAndLCS() throws {
        // Candidate "a a a b" against "a b c": unigram overlap min(3,1) + min(1,1) = 2, P = 2/4, R = 2/3.
        let r1 = try ROUGE.n(candidate: ["a", "a", "a", "b"], reference: ["a", "b", "c"], n: 1)
        #expect(abs(r1.precision - 0.5) < 1e-12 && abs(r1.recall - 2.0 / 3) < 1e-12 && abs(r1.f1 - 4.0 / 7) < 1e-12)
        // LCS of "1 2 3 4 5" and "5 1 3 2 4" is 3 (1 3 4 or 1 2 4).
        #expect(ROUGE.lcsLength([1, 2, 3, 4, 5], [5, 1, 3, 2, 4]) == 3)
        let l = ROUGE.l(candidate: [5, 1, 3, 2, 4, 9], reference: [1, 2, 3, 4, 5])
        #expect(abs(l.precision - 0.5) < 1e-12 && abs(l.recall - 0.6) < 1e-12)
        // Trigrams: one shared of three in the candidate, of two in the reference.
        let r3 = try ROUGE.n(candidate: [1, 2, 3, 4, 5], reference: [7, 2, 3, 4], n: 3)
        #expect(abs(r3.precision - 1.0 / 3) < 1e-12 && abs(r3.recall - 0.5) < 1e-12)
    }
}
