import Testing
@testable import Graft

@Suite struct BinaryTests {
    @Test func valuesWithBroadcasting() {
        let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = Tensor([10, 20, 30])
        #expect((a + b).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a - Tensor([1, 2], shape: [2, 1])).scalars == [0, 1, 2, 2, 3, 4])
        #expect((a * 2).scalars == [2, 4, 6, 8, 10, 12])
        #expect((1 / Tensor([2, 4])).scalars == [0.5, 0.25])
        #expect((Tensor([1, 2], shape: [2, 1, 1]) * Tensor([1, 10, 100], shape: [1, 3])).shape == [2, 1, 3])
        #expect(maximum(Tensor([1, 5]), Tensor([3, 2])).scalars == [3, 5])
        #expect(minimum(Tensor([1, 5]), Tensor(2)).scalars == [1, 2])
        #expect(Tensor([2, 3]).pow(Tensor([3, 2])).scalars == [8, 9])
        #expect(Tensor([4, 9]).pow(0.5).scalars == [2, 3])
    }

    @Test func largeBroadcastMatchesScalarLoop() {
        // Large enough to take the threaded path; odd sizes exercise the SIMD tails.
        let a = sample([37, 1, 129], seed: 1), b = sample([5, 1], seed: 2)
        let c = a * b
        #expect(c.shape == [37, 5, 129])
        var expected: [Float] = []
        for i in 0..<37 { for j in 0..<5 { for k in 0..<129 { expected.append(a[i, 0, k] * b[j, 0]) } } }
        #expect(c.scalars == expected)
        let big = sample([300, 301], seed: 3)
        #expect((big + big).scalars == big.scalars.map { $0 + $0 })
    }

    @Test func gradients() {
        checkGradients([sample([2, 3]), sample([3], seed: 2)]) { $0[0] + $0[1] }
        checkGradients([sample([2, 3]), sample([2, 1], seed: 2)]) { $0[0] - $0[1] }
        checkGradients([sample([4, 1, 3]), sample([2, 1], seed: 2)]) { $0[0] * $0[1] }
        checkGradients([sample([2, 3]), sample([3], low: 1, high: 2, seed: 2)]) { $0[0] / $0[1] }
        checkGradients([sample([5], low: 0.5, high: 2), sample([5], seed: 2)]) { $0[0].pow($0[1]) }
        checkGradients([sample([2, 3], low: 0.5, high: 2)]) { $0[0].pow(1.7) }
        checkGradients([sample([2, 3])]) { $0[0].square() }
        checkGradients([sample([3, 4]), sample([4], seed: 5)]) { maximum($0[0], $0[1]) }
        checkGradients([sample([3, 4]), sample([3, 1], seed: 5)]) { minimum($0[0], $0[1]) }
        checkGradients([sample([3])]) { -$0[0] * 3 + 1 }
    }

    @Test func whereAndComparisons() {
        let x = Tensor([-1, 0, 2])
        #expect(x.gt(0).scalars == [0, 0, 1])
        #expect(x.le(0).scalars == [1, 1, 0])
        #expect(x.eq(Tensor([-1, 1, 2])).scalars == [1, 0, 1])
        #expect(x.ne(0).scalars == [1, 0, 1])
        #expect(x.lt(Tensor(2)).scalars == [1, 1, 0])
        #expect(x.ge(-1).scalars == [1, 1, 1])
        #expect(Tensor.where(x.gt(0), x, Tensor(10)).scalars == [10, 10, 2])
        let cond = Tensor([1, 0, 1, 0, 0, 1], shape: [2, 3])
        checkGradients([sample([2, 3]), sample([3], seed: 2)]) { Tensor.where(cond, $0[0], $0[1]) }
    }
}
