import Testing
@testable import Graft

@Suite struct LinearOpTests {
    @Test func matchesMatmulPlusBias() {
        let x = sample([2, 3, 5]), w = sample([4, 5], seed: 2), b = sample([4], seed: 3)
        let y = Tensor.linear(x, weight: w, bias: b)
        #expect(y.shape == [2, 3, 4])
        expectClose(y.scalars, (matmul(x, w, transposeB: true) + b).scalars, tol: 1e-6)
        #expect(Tensor.linear(x, weight: w).shape == [2, 3, 4])
    }

    @Test func gradients() {
        checkGradients([sample([3, 5]), sample([4, 5], seed: 2), sample([4], seed: 3)]) {
            Tensor.linear($0[0], weight: $0[1], bias: $0[2])
        }
        checkGradients([sample([2, 2, 3]), sample([2, 3], seed: 4), sample([2], seed: 5)]) {
            Tensor.linear($0[0], weight: $0[1], bias: $0[2]).tanh()
        }
        // Second order: a gradient penalty through the affine map.
        let xhat = sample([3, 4], seed: 6)
        checkGradients([sample([2, 4], seed: 7), sample([2], seed: 8)], eps: 1e-2, atol: 3e-3, rtol: 3e-2) { p in
            let x = xhat.detach().requiringGrad()
            let d = Tensor.linear(x, weight: p[0], bias: p[1]).tanh().sum()
            return grad(of: d, wrt: x, createGraph: true).square().sum()
        }
    }
}
