import Testing
@testable import Graft

@Suite struct SumOfSquaresTests {
    @Test func accumulatesInFloat64() {
        // 1e8² + 1² overflows nothing in Float64 and keeps the small term.
        let t = Tensor([1e8, 1, -2], shape: [3])
        #expect(t.sumOfSquares() == 1e16 + 1 + 4)
        #expect(Tensor.zeros([0]).sumOfSquares() == 0)
    }
}
