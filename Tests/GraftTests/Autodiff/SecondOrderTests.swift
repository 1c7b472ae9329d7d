import Testing
@testable import Graft

/// Gradients of gradients: for each op f, the derivative of ∂(Σ w·f(x))/∂x, computed with
/// createGraph, is checked against finite differences of the first derivative.
@Suite struct SecondOrderTests {
    /// Checks the second derivative of `f` through `grad(of:wrt:createGraph:)`.
    func checkSecondOrder(_ x: Tensor, _ extra: [Tensor] = [], sourceLocation: SourceLocation = #_sourceLocation,
                          _ f: @escaping ([Tensor]) -> Tensor) {
        let weights = sample(noGrad { f([x] + extra) }.shape, low: 0.5, high: 1.5, seed: 77)
        checkGradients([x] + extra, sourceLocation: sourceLocation) { inputs in
            let xi = inputs[0]
            return grad(of: [(f(inputs) * weights).sum()], wrt: [xi], createGraph: true)[0]
        }
    }

    @Test func unaryOps() {
        let x = sample([2, 3], low: -1.5, high: 1.5)
        let pos = sample([2, 3], low: 0.5, high: 2)
        checkSecondOrder(x) { $0[0].exp() }
        checkSecondOrder(pos) { $0[0].log() }
        checkSecondOrder(pos) { $0[0].sqrt() }
        checkSecondOrder(x) { $0[0].tanh() }
        checkSecondOrder(x) { $0[0].sigmoid() }
        checkSecondOrder(x) { $0[0].softplus() }
        checkSecondOrder(x) { $0[0].gelu() }
        checkSecondOrder(pos) { $0[0].pow(2.5) }
        checkSecondOrder(pos, [sample([2, 3], seed: 4)]) { $0[0].pow($0[1]) }
    }

    @Test func binaryAndReductionOps() {
        let x = sample([3, 4], low: -1, high: 1)
        let y = sample([4], low: 0.5, high: 2, seed: 3)
        checkSecondOrder(x, [y]) { $0[0] * $0[1] * $0[0] }
        checkSecondOrder(y, [x]) { $0[1] / $0[0] }
        checkSecondOrder(x, [sample([4, 2], seed: 5)]) { $0[0].matmul($0[1]).square() }
        checkSecondOrder(x) { $0[0].logsumexp(axes: [1]) }
        checkSecondOrder(x) { $0[0].variance(axes: [0]) }
        checkSecondOrder(x) { $0[0].norm(axes: [1]) }
        checkSecondOrder(x) { $0[0].max(axis: 1).square() }
    }

    @Test func fusedOps() {
        let x = sample([3, 5], low: -2, high: 2)
        let t = Tensor(indices: [1, 4, 0])
        checkSecondOrder(x) { $0[0].softmax(axis: 1) }
        checkSecondOrder(x) { $0[0].logSoftmax(axis: 0) }
        checkSecondOrder(x) { Tensor.crossEntropy(logits: $0[0], targets: t, labelSmoothing: 0.1) }
        checkSecondOrder(x) { Tensor.crossEntropy(logits: $0[0], targets: t, reduction: .none) }
        checkSecondOrder(x, [sample([3, 5], low: 0, high: 1, seed: 6)]) { Tensor.binaryCrossEntropyWithLogits(logits: $0[0], targets: $0[1]) }
        checkSecondOrder(x) { $0[0].gather(axis: 1, index: Tensor(indices: [0, 2, 4], shape: [3, 1])).exp() }
        checkSecondOrder(x) { $0[0].slice(axis: 1, start: 1, end: 4).pad(axis: 0, before: 1, after: 0).tanh() }
    }
}
