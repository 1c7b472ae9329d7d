import Testing
@testable import Graft

@Suite struct Float64MatrixTests {
    @Test func multipliesTransposesAndFillsTheLowerTriangle() {
        let a: [Double] = [1, 2, 3, 4, 5, 6]            // [2, 3]
        let at = Float64Matrix.transpose(a, rows: 2, cols: 3)
        #expect(at == [1, 4, 2, 5, 3, 6])
        #expect(Float64Matrix.multiply(a, at, m: 2, k: 3, n: 2) == [14, 32, 32, 77])
        var c = [Double](repeating: 1, count: 4)
        Float64Matrix.multiplyAdd(a, at, m: 2, k: 3, n: 2, into: &c, lowerOnly: true)
        #expect(c == [15, 1, 33, 78])
    }
}
