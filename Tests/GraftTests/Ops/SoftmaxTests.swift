import Foundation
import Testing
@testable import Graft

@Suite struct SoftmaxTests {
    @Test func valuesAlongAnyAxis() {
        let x = Tensor([1, 2, 3, 1, 1, 1], shape: [2, 3])
        let s = x.softmax(axis: 1)
        let e: [Float] = [1, 2, 3].map { Foundation.exp($0) }
        let z = e.reduce(0, +)
        expectClose(Array(s.scalars.prefix(3)), e.map { $0 / z }, tol: 1e-6)
        expectClose(Array(s.scalars.suffix(3)), [1 / 3, 1 / 3, 1 / 3], tol: 1e-6)
        expectClose(x.logSoftmax(axis: 1).scalars, s.scalars.map { Foundation.log($0) }, tol: 1e-6)
        let s0 = x.softmax(axis: 0)
        expectClose(s0.sum(axis: 0).scalars, [1, 1, 1], tol: 1e-6)
        // Stable for huge logits, and -inf entries get probability 0.
        let big = Tensor([1000, 0, -Float.infinity]).softmax()
        #expect(big.scalars == [1, 0, 0])
        #expect(Tensor([1000, 1000]).logSoftmax().scalars.allSatisfy { abs($0 + Foundation.log(2)) < 1e-6 })
    }

    @Test func gradients() {
        let t = sample([3, 5], low: -2, high: 2)
        checkGradients([t]) { $0[0].softmax(axis: -1) }
        checkGradients([t]) { $0[0].softmax(axis: 0) }
        checkGradients([t]) { $0[0].logSoftmax(axis: 1) }
        checkGradients([sample([2, 3, 4])]) { $0[0].logSoftmax(axis: 1) }
    }
}
