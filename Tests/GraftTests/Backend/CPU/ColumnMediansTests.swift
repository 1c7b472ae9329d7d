import Testing
@testable import Graft

@Suite struct ColumnMediansTests {
    /// `select` on a copy of `values`.
    func selected(_ values: [Float], rank: Int) -> Float {
        var copy = values
        return copy.withUnsafeMutableBufferPointer { ColumnMedians.select($0.baseAddress!, count: $0.count, rank: rank) }
    }

    @Test func selectFindsEveryRankOfShuffledValuesWithRepeats() {
        var r = TestRandom(state: 3)
        for count in [1, 2, 3, 7, 64, 513] {
            // Few distinct values: many ties, as in columns of zero pixels.
            let values = r.floats(count).map { ($0 * 4).rounded() }
            let sorted = values.sorted()
            for rank in Set([0, count / 2, count - 1]) { #expect(selected(values, rank: rank) == sorted[rank], "count \(count) rank \(rank)") }
        }
        #expect(selected([Float](repeating: 5, count: 1000), rank: 500) == 5)
        #expect(selected((0..<1000).map { Float($0) }, rank: 500) == 500)
        #expect(selected((0..<1000).map { Float(999 - $0) }, rank: 500) == 500)
    }

    @Test func selectEndsOnNaNs() {
        let values: [Float] = [3, .nan, 1, .nan, 2, .infinity, -.infinity, .nan]
        _ = selected(values, rank: 4)
        _ = selected([Float](repeating: .nan, count: 9), rank: 4)
    }

    @Test func oneOutlierDoesNotMoveTheMedian() {
        // 5 rows of 3 columns; row 2 holds 1e6 in column 1.
        var v: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        v[2 * 3 + 1] = 1e6
        let m = v.withUnsafeBufferPointer { ColumnMedians.of($0.baseAddress!, 5, 3) }
        #expect(m == [7, 11, 9])
        // A NaN or infinite median becomes 0.
        let bad: [Float] = [.nan, .infinity, .nan, .infinity, 1, .infinity]
        let medians = bad.withUnsafeBufferPointer { ColumnMedians.of($0.baseAddress!, 3, 2) }
        #expect(medians.allSatisfy { $0.isFinite })
    }

    @Test func largeMatricesUseASpreadSample() {
        let rows = ColumnMedians.sample(100_000)
        #expect(rows.count == ColumnMedians.sampleRows && rows.allSatisfy { $0 >= 0 && $0 < 100_000 })
        #expect(Set(rows).count == rows.count)
        // Every tenth row an outlier: about a tenth of the sample, not all of it.
        #expect(rows.filter { $0 % 10 == 0 }.count < ColumnMedians.sampleRows / 5)
        #expect(ColumnMedians.sample(100) == Array(0..<100))
    }
}
