import Foundation
import Testing
@testable import Graft

@Suite struct OptimizerUpdatesTests {
    /// 37 elements: four 8-lane blocks and a scalar tail of 5.
    func operands(seed: UInt64) -> (p: [Float], g: [Float], a: [Float], b: [Float]) {
        var r = TestRandom(state: seed)
        return (r.floats(37), r.floats(37), r.floats(37).map { $0 * 0.1 }, r.floats(37).map { abs($0) * 0.1 })
    }

    @Test(arguments: [false, true]) func adamMatchesTheScalarRule(decoupled: Bool) {
        let (p0, g, m0, v0) = operands(seed: 1)
        let (lr, b1, b2, eps, wd, t): (Float, Float, Float, Float, Float, Int) = (0.01, 0.8, 0.95, 1e-6, 0.1, 3)
        let p = Tensor(p0), m = Tensor(m0), v = Tensor(v0)
        p.adamUpdate(gradient: Tensor(g), firstMoment: m, secondMoment: v, learningRate: lr, beta1: b1, beta2: b2, eps: eps,
                     step: t, weightDecay: wd, decoupledWeightDecay: decoupled)
        let c1 = 1 - Float(pow(Double(b1), Double(t))), c2Root = (1 - Float(pow(Double(b2), Double(t)))).squareRoot()
        let (shrink, l2): (Float, Float) = decoupled ? (1 - lr * wd, 0) : (1, wd)
        for i in 0..<37 {
            let gi = g[i] + l2 * p0[i]
            let mi = b1 * m0[i] + (1 - b1) * gi, vi = b2 * v0[i] + (1 - b2) * gi * gi
            // The 8-lane blocks multiply by 1/√(1-β₂ᵗ); the tail divides (the kernel's two forms).
            let denominator = i < 32 ? vi.squareRoot() * (1 / c2Root) + eps : vi.squareRoot() / c2Root + eps
            let pi = p0[i] * shrink - (lr / c1) * mi / denominator
            #expect(m.scalars[i] == mi && v.scalars[i] == vi && p.scalars[i] == pi, "element \(i)")
        }
    }

    @Test(arguments: [(Float(0), false), (0.9, false), (0.9, true)]) func sgdMatchesTheScalarRule(momentum mu: Float, nesterov: Bool) {
        let (p0, g, b0, _) = operands(seed: 2)
        let p = Tensor(p0), b = Tensor(b0)
        p.sgdUpdate(gradient: Tensor(g), momentumBuffer: mu == 0 ? nil : b, learningRate: 0.1, momentum: mu, nesterov: nesterov,
                    weightDecay: 0.01)
        for i in 0..<37 {
            var d = g[i] + 0.01 * p0[i]
            if mu != 0 {
                let bi = mu * b0[i] + d
                #expect(b.scalars[i] == bi)
                d = nesterov ? d + mu * bi : bi
            }
            #expect(p.scalars[i] == p0[i] - 0.1 * d, "element \(i)")
        }
    }

    @Test func sgdFirstStepSetsTheBuffer() {
        let p = Tensor([1, 2]), b = Tensor([5, 5])
        p.sgdUpdate(gradient: Tensor([0.5, -1]), momentumBuffer: b, learningRate: 0.1, momentum: 0.9, firstStep: true)
        #expect(b.scalars == [0.5, -1])
        #expect(p.scalars == [1 - 0.1 * 0.5, 2 + 0.1])
    }

    @Test func rmspropAndAdagradMatchTheScalarRules() {
        let (p0, g, s0, b0) = operands(seed: 3)
        let p = Tensor(p0), s = Tensor(s0.map(abs)), b = Tensor(b0)
        p.rmspropUpdate(gradient: Tensor(g), squareAverage: s, momentumBuffer: b, learningRate: 0.01, alpha: 0.9, eps: 1e-8,
                        momentum: 0.5, weightDecay: 0.1)
        let q = Tensor(p0), sum = Tensor(s0.map(abs))
        q.adagradUpdate(gradient: Tensor(g), sumOfSquares: sum, learningRate: 0.01, eps: 1e-10, weightDecay: 0.1)
        for i in 0..<37 {
            let gi = g[i] + 0.1 * p0[i]
            let si = 0.9 * abs(s0[i]) + (1 - 0.9) * gi * gi
            let bi = 0.5 * b0[i] + gi / (si.squareRoot() + 1e-8)
            #expect(s.scalars[i] == si && b.scalars[i] == bi && p.scalars[i] == p0[i] - 0.01 * bi, "rmsprop element \(i)")
            let ai = abs(s0[i]) + gi * gi
            #expect(sum.scalars[i] == ai && q.scalars[i] == p0[i] - 0.01 * gi / (ai.squareRoot() + 1e-10), "adagrad element \(i)")
        }
    }

    @Test func largeParametersSplitAcrossThreadsGiveTheSameResult() {
        var r = TestRandom(state: 4)
        let n = 100_003
        let (p0, g) = (r.floats(n), r.floats(n))
        func run(threads: Int) -> [Float] {
            let p = Tensor(p0), m = Tensor.zeros([n]), v = Tensor.zeros([n])
            ThreadPool.shared.withThreadCount(threads) {
                p.adamUpdate(gradient: Tensor(g), firstMoment: m, secondMoment: v, learningRate: 0.001, beta1: 0.9, beta2: 0.999,
                             eps: 1e-8, step: 1)
            }
            return p.scalars
        }
        #expect(run(threads: 1) == run(threads: 2))
    }
}
