import Testing
@testable import Graft

@Suite struct MatMulTests {
    @Test func shapesAndValues() {
        let a = Tensor([[1, 2], [3, 4], [5, 6]])
        let b = Tensor([[1, 0, 2], [0, 1, 3]])
        #expect(a.matmul(b).scalars == [1, 2, 8, 3, 4, 18, 5, 6, 28])
        #expect(matmul(a, a, transposeA: true).scalars == [35, 44, 44, 56])
        #expect(matmul(a, a, transposeB: true).shape == [3, 3])
        #expect(Tensor([1, 2]).matmul(Tensor([3, 4])).item == 11)
        #expect(a.matmul(Tensor([1, 1])).scalars == [3, 7, 11])
        #expect(Tensor([1, 1, 1]).matmul(a).scalars == [9, 12])
        let batched = sample([4, 3, 5]).matmul(sample([5, 2], seed: 2))
        #expect(batched.shape == [4, 3, 2])
        #expect(sample([2, 1, 3, 5]).matmul(sample([4, 5, 2])).shape == [2, 4, 3, 2])
    }

    @Test func batchedMatchesLoop() {
        let a = sample([3, 4, 5]), b = sample([3, 5, 6], seed: 2)
        let c = a.matmul(b)
        for i in 0..<3 {
            let ci = a.select(axis: 0, index: i).matmul(b.select(axis: 0, index: i))
            expectClose(c.select(axis: 0, index: i).scalars, ci.scalars)
        }
    }

    @Test func gradients() {
        checkGradients([sample([3, 4]), sample([4, 2], seed: 2)]) { $0[0].matmul($0[1]) }
        checkGradients([sample([4, 3]), sample([4, 2], seed: 2)]) { matmul($0[0], $0[1], transposeA: true) }
        checkGradients([sample([3, 4]), sample([2, 4], seed: 2)]) { matmul($0[0], $0[1], transposeB: true) }
        checkGradients([sample([4, 3]), sample([2, 4], seed: 2)]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) }
        checkGradients([sample([2, 3, 4]), sample([4, 2], seed: 2)]) { $0[0].matmul($0[1]) }
        checkGradients([sample([2, 1, 3, 4]), sample([3, 4, 2], seed: 2)]) { $0[0].matmul($0[1]) }
        checkGradients([sample([3]), sample([3, 2], seed: 2)]) { $0[0].matmul($0[1]) }
    }
}
