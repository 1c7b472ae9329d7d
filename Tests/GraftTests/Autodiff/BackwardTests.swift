import Testing
@testable import Graft

@Suite struct BackwardTests {
    @Test func accumulatesIntoLeaves() {
        let x = Tensor([1, 2, 3]).requiringGrad()
        let y = (x * x).sum()          // dy/dx = 2x
        y.backward()
        #expect(x.grad!.scalars == [2, 4, 6])
        (x * 3).sum().backward()       // accumulates: + 3
        #expect(x.grad!.scalars == [5, 7, 9])
        x.zeroGrad()
        #expect(x.grad == nil)
        // A tensor used twice gets the sum of both paths.
        let z = Tensor([2]).requiringGrad()
        (z * z + z).sum().backward()
        #expect(z.grad!.scalars == [5])
    }

    @Test func upstreamGradientForNonScalars() {
        let x = Tensor([1, 2]).requiringGrad()
        (x * 2).backward(Tensor([10, 100]))
        #expect(x.grad!.scalars == [20, 200])
    }

    @Test func noGradDetachAndRequiresGrad() {
        let w = Tensor([1, 2]).requiringGrad()
        let inside = noGrad { w * 2 }
        #expect(!inside.requiresGrad && inside.isLeaf)
        #expect(GradMode.isEnabled)
        let d = (w * 2).detach()
        #expect(!d.requiresGrad)
        let y = (w * d).sum()           // d is a constant: dy/dw = d
        y.backward()
        #expect(w.grad!.scalars == [2, 4])
        let c = Tensor([1, 2])
        #expect(!(c * 2).requiresGrad)  // no input requires gradients: nothing recorded
        #expect((c * w).requiresGrad && !(c * w).isLeaf)
        let nested = noGrad { enableGrad { w * 2 } }
        #expect(nested.requiresGrad)
    }

    @Test func graphIsFreedUnlessRetained() {
        let x = Tensor([3]).requiringGrad()
        let y = (x * x).exp().sum()
        y.backward(retainGraph: true)
        let g1 = x.grad!.item
        y.backward()                    // allowed: the first call kept the graph
        #expect(abs(x.grad!.item - 2 * g1) < 1e-3 * g1)
        // After a plain backward the nodes are freed.
        var freed = true
        var t: Tensor? = y
        while let cur = t, let node = cur.node { freed = freed && node.isFreed && node.inputs.isEmpty; t = nil }
        #expect(freed)
    }

    @Test func hundredThousandOpChainBackpropagates() {
        let x = Tensor([1]).requiringGrad()
        var y = x
        for _ in 0..<100_000 { y = y * 1.0 + 0.0 }
        y.sum().backward()
        #expect(x.grad!.item == 1)
        // A deep graph that is never differentiated is also released without recursion.
        var z = x
        for _ in 0..<100_000 { z = z + 1 }
        #expect(z.item == 100_001)
        z = Tensor(0)
        #expect(z.item == 0)
    }

    @Test func gradOfWrtLeavesGradAlone() {
        let x = Tensor([1, 2]).requiringGrad()
        let h = x * x
        let y = (h * 3).sum()
        let gh = grad(of: [y], wrt: [h, x], retainGraph: true)
        #expect(gh[0].scalars == [3, 3])
        #expect(gh[1].scalars == [6, 12])
        #expect(x.grad == nil)
        let unused = Tensor([5]).requiringGrad()
        #expect(grad(of: [y], wrt: [unused])[0].scalars == [0])
    }

    @Test func secondDerivatives() {
        // d²/dx² of x³ = 6x; of tanh: -2 tanh (1 - tanh²).
        let x = Tensor([0.5, -1.5]).requiringGrad()
        let g = grad(of: x.pow(3).sum(), wrt: x, createGraph: true)
        #expect(g.requiresGrad)
        let gg = grad(of: g.sum(), wrt: x)
        expectClose(gg.scalars, [3, -9], tol: 1e-5)
        let t = Tensor([0.3]).requiringGrad()
        let g1 = grad(of: t.tanh().sum(), wrt: t, createGraph: true)
        let g2 = grad(of: g1.sum(), wrt: t).item
        let th = Float(0.3).tanhValue
        #expect(abs(g2 - (-2 * th * (1 - th * th))) < 1e-5)
    }

    @Test func customFunctionAndGradientReversal() {
        let x = Tensor([1, -2]).requiringGrad()
        let y = x.gradientReversal(scale: 0.5)
        #expect(y.scalars == [1, -2])
        (y * Tensor([3, 4])).sum().backward()
        #expect(x.grad!.scalars == [-1.5, -2])
        // A custom op with a hand-written vjp: f(a, b) = a * exp(b).
        checkGradients([sample([3]), sample([3], seed: 2)]) { inputs in
            Tensor.custom(name: "aExpB", inputs: inputs, forward: { $0[0] * $0[1].exp() }) { g, xs, out in
                [g * xs[1].exp(), g * out]
            }
        }
    }
}

extension Float {
    /// tanh via exp, for a test expectation.
    var tanhValue: Float { let e = Tensor([2 * self]).exp().item; return (e - 1) / (e + 1) }
}
