import Foundation
import Testing
@testable import Graft

@Suite struct UnaryTests {
    @Test func valuesAgainstLibm() {
        let xs: [Float] = (0..<101).map { -5 + Float($0) * 0.1 }
        let x = Tensor(xs)
        expectClose(x.exp().scalars, xs.map { Foundation.exp($0) }, tol: 1e-6)
        expectClose(x.tanh().scalars, xs.map { Foundation.tanh($0) }, tol: 1e-6)
        expectClose(x.sigmoid().scalars, xs.map { 1 / (1 + Foundation.exp(-$0)) }, tol: 1e-6)
        expectClose(x.softplus().scalars, xs.map { Foundation.log1p(Foundation.exp($0)) }, tol: 1e-6)
        expectClose(x.gelu().scalars, xs.map { 0.5 * $0 * (1 + Foundation.erf($0 / Float(2).squareRoot())) }, tol: 1e-6)
        expectClose(x.abs().scalars, xs.map { Swift.abs($0) })
        expectClose(x.relu().scalars, xs.map { Swift.max($0, 0) })
        expectClose(x.leakyRelu(0.2).scalars, xs.map { $0 > 0 ? $0 : 0.2 * $0 })
        expectClose(x.clamp(min: -1, max: 2).scalars, xs.map { Swift.min(Swift.max($0, -1), 2) })
        let pos = Tensor(xs.map { Swift.abs($0) + 0.01 })
        expectClose(pos.log().scalars, pos.scalars.map { Foundation.log($0) }, tol: 1e-6)
        expectClose(pos.sqrt().scalars, pos.scalars.map { $0.squareRoot() }, tol: 1e-6)
    }

    @Test func extremesAreStable() {
        let x = Tensor([-1000, -90, 0, 90, 1000])
        #expect(x.sigmoid().scalars.allSatisfy { $0.isFinite })
        #expect(x.tanh().scalars == [-1, -1, 0, 1, 1])
        #expect(x.softplus().scalars[4] == 1000 && x.softplus().scalars[0] == 0)
        #expect(Tensor([0]).log().item == -.infinity)
    }

    @Test func gradients() {
        let x = sample([3, 4], low: -2, high: 2)
        checkGradients([x]) { $0[0].exp() }
        checkGradients([sample([3, 4], low: 0.2, high: 3)]) { $0[0].log() }
        checkGradients([sample([3, 4], low: 0.2, high: 3)]) { $0[0].sqrt() }
        checkGradients([x]) { $0[0].tanh() }
        checkGradients([x]) { $0[0].sigmoid() }
        checkGradients([x]) { $0[0].softplus() }
        checkGradients([x]) { $0[0].gelu() }
        // Piecewise ops: keep points away from the kinks by more than eps.
        let away = Tensor([-1.5, -0.5, 0.3, 0.7, 1.2, -0.8])
        checkGradients([away]) { $0[0].relu() }
        checkGradients([away]) { $0[0].leakyRelu(0.1) }
        checkGradients([away]) { $0[0].abs() }
        checkGradients([away]) { $0[0].clamp(min: -1, max: 1) }
    }
}
