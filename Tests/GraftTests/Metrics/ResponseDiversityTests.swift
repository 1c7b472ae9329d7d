import Testing
@testable import GraftMetrics

@Suite struct ResponseDiversityTests {
    func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

    @Test func handCountedValues() throws {
        let responses = ["i do not know", "i do not know", "the cat sat", "i know"].map(words)
        let d = try ResponseDiversity(responses, top: 2)
        // Unigrams: 4 + 4 + 3 + 2 = 13, distinct {i, do, not, know, the, cat, sat} = 7.
        #expect(d.distinct1 == 7.0 / 13.0)
        // Bigrams: 3 + 3 + 2 + 1 = 9, distinct {i do, do not, not know, the cat, cat sat, i know} = 6.
        #expect(d.distinct2 == 6.0 / 9.0)
        #expect(d.meanLength == 13.0 / 4.0)
        #expect(d.topResponseShare == 0.5)
        #expect(d.mostCommon.count == 2 && d.mostCommon[0].response == words("i do not know") && d.mostCommon[0].count == 2)
        #expect(d.mostCommon[1].response == words("the cat sat"))    // ties keep first-seen order
    }

    @Test func edgeCases() throws {
        #expect(throws: MetricError.self) { try ResponseDiversity([]) }
        let empty = try ResponseDiversity([[], []])
        #expect(empty.distinct1 == 0 && empty.distinct2 == 0 && empty.meanLength == 0 && empty.topResponseShare == 1)
        #expect(ResponseDiversity.distinct([["a"]], n: 2) == 0)
        #expect(try ResponseDiversity([words("a b"), words("c d")]).distinct2 == 1)
    }
}
