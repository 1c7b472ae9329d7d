import Foundation
import Testing
@testable import Graft

@Suite struct MinibatchClosenessTests {
    @Test func sumsTheClosenessToTheOtherRows() {
        let m = Tensor([0, 0, 1, 1, 3, 0], shape: [3, 1, 2])
        let o = m.minibatchCloseness().scalars
        let (e01, e02, e12) = (Float(exp(-2.0)), Float(exp(-3.0)), Float(exp(-3.0)))
        #expect(abs(o[0] - (e01 + e02)) < 1e-6 && abs(o[1] - (e01 + e12)) < 1e-6 && abs(o[2] - (e02 + e12)) < 1e-6)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let m = Tensor.randn([5, 3, 4], generator: RandomGenerator(seed: 6))
        checkGradients([m], eps: 1e-3) { $0[0].minibatchCloseness() }
    }
}
