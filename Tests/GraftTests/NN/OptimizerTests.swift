import Foundation
import Testing
@testable import Graft
@testable import GraftNN

@Suite struct OptimizerTests {
    /// One parameter [2] with a constant gradient g on every step.
    func run(_ make: ([(name: String, tensor: Tensor)]) -> Optimizer, steps: Int, p0: [Float] = [1, -2], g: [Float] = [0.5, -1]) -> [Float] {
        let p = Tensor(p0).requiringGrad()
        let opt = make([("w", p)])
        for _ in 0..<steps {
            p.grad = Tensor(g)
            opt.step()
        }
        return p.scalars
    }

    @Test func sgdMomentumNesterovAndDecay() {
        // Plain: p - lr g.
        expectNear(run({ SGD($0, learningRate: 0.1) }, steps: 1), [0.95, -1.9])
        // Momentum 0.9: v1 = g, v2 = 0.9 g + g = 1.9 g; p2 = p - lr (g + 1.9 g).
        expectNear(run({ SGD($0, learningRate: 0.1, momentum: 0.9) }, steps: 2), [1 - 0.1 * 2.9 * 0.5, -2 + 0.1 * 2.9])
        // Nesterov: step 1 uses g + 0.9 v1 = 1.9 g.
        expectNear(run({ SGD($0, learningRate: 0.1, momentum: 0.9, nesterov: true) }, steps: 1), [1 - 0.1 * 1.9 * 0.5, -2 + 0.1 * 1.9])
        // Weight decay 0.1 adds 0.1 p to the gradient: [0.5 + 0.1, -1 - 0.2].
        expectNear(run({ SGD($0, learningRate: 0.1, weightDecay: 0.1) }, steps: 1), [1 - 0.06, -2 + 0.12])
    }

    @Test func adamFirstStepsByHand() {
        // With a constant gradient, m̂ = g and v̂ = g², so each step moves lr·g/(|g| + eps).
        let lr: Float = 0.01
        expectNear(run({ Adam($0, learningRate: lr) }, steps: 1), [1 - lr, -2 + lr], tol: 1e-6)
        expectNear(run({ Adam($0, learningRate: lr) }, steps: 3), [1 - 3 * lr, -2 + 3 * lr], tol: 1e-5)
        // Varying gradients: compare with algorithm 1 evaluated in Double.
        let p = Tensor([0.3]).requiringGrad()
        let opt = Adam([("w", p)], learningRate: 0.1, beta1: 0.8, beta2: 0.9)
        var (m, v, x) = (0.0, 0.0, 0.3)
        for (t, g) in [1.0, -2.0, 0.5].enumerated() {
            p.grad = Tensor([Float(g)])
            opt.step()
            m = 0.8 * m + 0.2 * g
            v = 0.9 * v + 0.1 * g * g
            let mh = m / (1 - pow(0.8, Double(t + 1))), vh = v / (1 - pow(0.9, Double(t + 1)))
            x -= 0.1 * mh / (vh.squareRoot() + 1e-8)
        }
        #expect(abs(Double(p.item) - x) < 1e-6)
    }

    @Test func adamWDecouplesWeightDecay() {
        // First step: p ← p - lr·wd·p, then the Adam move lr·sign(g).
        let out = run({ AdamW($0, learningRate: 0.1, weightDecay: 0.5) }, steps: 1)
        expectNear(out, [1 * (1 - 0.05) - 0.1, -2 * (1 - 0.05) + 0.1], tol: 1e-6)
    }

    @Test func rmspropAndAdagrad() {
        // RMSprop step 1: s = 0.01 g², p -= lr g / (0.1|g| + eps) = lr·10·sign(g).
        expectNear(run({ RMSprop($0, learningRate: 0.01) }, steps: 1), [1 - 0.1, -2 + 0.1], tol: 1e-5)
        // Step 2: s = 0.99·0.01 g² + 0.01 g² = 0.0199 g².
        let second = 0.01 / Float(0.0199).squareRoot()
        expectNear(run({ RMSprop($0, learningRate: 0.01) }, steps: 2), [1 - 0.1 - second, -2 + 0.1 + second], tol: 1e-5)
        // Adagrad: s = k g² after k steps; moves lr·(1 + 1/√2).
        let move = 0.1 * (1 + 1 / Float(2).squareRoot())
        expectNear(run({ Adagrad($0, learningRate: 0.1) }, steps: 2), [1 - move, -2 + move], tol: 1e-6)
    }

    @Test func parameterGroupsHaveTheirOwnRates() {
        let net = Sequential(Linear(2, 2), Linear(2, 1))
        let groups = net.parameterGroups(learningRate: 1, slowerPrefixes: ["0"], factor: 0.1)
        #expect(groups.count == 2 && groups[0].learningRate == 0.1 && groups[0].parameters.map(\.name) == ["0.weight", "0.bias"])
        let opt = SGD(groups: groups)
        let before = net.parameters().map(\.scalars)
        for p in net.parameters() { p.grad = Tensor.ones(p.shape) }
        opt.step()
        let after = net.parameters().map(\.scalars)
        expectNear(zip(before[0], after[0]).map { $0 - $1 }, [Float](repeating: 0.1, count: 4))
        expectNear(zip(before[2], after[2]).map { $0 - $1 }, [Float](repeating: 1, count: 2))
    }

    @Test func stateSavesAndRestoresByPath() throws {
        let a = Linear(3, 2), b = Linear(3, 2)
        try b.load(stateDict: a.stateDict())
        let optA = Adam(a.namedParameters(), learningRate: 0.01), optB = Adam(b.namedParameters(), learningRate: 0.01)
        let x = Tensor.randn([4, 3])
        for _ in 0..<3 { optA.zeroGrad(); a(x).square().sum().backward(); optA.step() }
        try b.load(stateDict: a.stateDict())
        try optB.load(stateDict: optA.stateDict())
        #expect(optB.stepCount == 3)
        for (m, opt) in [(a, optA), (b, optB)] { opt.zeroGrad(); m(x).square().sum().backward(); opt.step() }
        #expect(a.weight.scalars == b.weight.scalars)
        #expect(throws: OptimizerStateError.unknownKey("nope.exp_avg")) { try optB.load(stateDict: ["nope.exp_avg": Tensor([1])]) }
        #expect(throws: OptimizerStateError.self) { try optB.load(stateDict: ["weight.exp_avg": Tensor([1])]) }
    }

    @Test func schedulesAndClipping() {
        let p = Tensor([0]).requiringGrad()
        let opt = SGD([("p", p)], learningRate: 1)
        let step = LearningRateScheduler(opt, schedule: StepSchedule(stepSize: 2, gamma: 0.5))
        var rates: [Float] = []
        for _ in 0..<5 { rates.append(opt.groups[0].learningRate); step.step() }
        #expect(rates == [1, 1, 0.5, 0.5, 0.25])
        #expect(abs(CosineSchedule(period: 10).factor(at: 5) - 0.5) < 1e-6 && CosineSchedule(period: 10).factor(at: 10) == 0)
        #expect(abs(ExponentialSchedule(gamma: 0.9).factor(at: 2) - 0.81) < 1e-6)
        let dann = LambdaSchedule { 1 / Float(pow(1 + 10 * Double($0) / 100, 0.75)) }
        #expect(abs(dann.factor(at: 100) - 1 / Float(pow(11.0, 0.75))) < 1e-6)
        let a = Tensor([0, 0]).requiringGrad(), b = Tensor([0]).requiringGrad()
        a.grad = Tensor([3, 0]); b.grad = Tensor([4])
        #expect(GradientClipping.clipByGlobalNorm([a, b], maxNorm: 1) == 5)
        expectNear(a.grad!.scalars + b.grad!.scalars, [0.6, 0, 0.8], tol: 1e-5)
        GradientClipping.clipByValue([a], clip: 0.5)
        #expect(a.grad!.scalars == [0.5, 0])
    }

    @Test func valueAndGradTouchesOnlyTheNamedParameters() {
        let g = Linear(2, 2), d = Linear(2, 1)
        let x = Tensor.randn([3, 2])
        d.weight.grad = Tensor.full([1, 2], 9)   // a discriminator gradient that must survive
        let (value, grads) = valueAndGrad(of: { d(g(x)).sum() }, wrt: g.parameters())
        #expect(grads.count == 2 && !value.requiresGrad)
        #expect(d.weight.grad!.scalars == [9, 9] && g.weight.grad == nil)
        let opt = SGD(g.namedParameters(), learningRate: 0.1)
        let before = g.weight.scalars
        opt.step(gradients: grads)
        #expect(g.weight.scalars != before && d.weight.grad!.scalars == [9, 9])
    }
}
