import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct FineTuningTests {
    /// Linear, ReLU, Linear, ReLU, Linear from one seed.
    func model(seed: UInt64 = 3) -> Sequential {
        let g = RandomGenerator(seed: seed)
        return Sequential(Linear(4, 5, generator: g), ReLU(), Linear(5, 5, generator: g), ReLU(), Linear(5, 2, generator: g))
    }

    @Test func backboneTrainsAtAFractionOfTheHeadsRate() throws {
        let net = model()
        let groups = try FineTuning.parameterGroups(net, headLayers: 1, learningRate: 0.5, backboneFactor: 0.1)
        #expect(groups.count == 2)
        #expect(groups[0].parameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(groups[1].parameters.map(\.name) == ["4.weight", "4.bias"])
        #expect(abs(groups[0].learningRate - 0.05) < 1e-7 && groups[1].learningRate == 0.5)
        // One plain SGD step with unit gradients moves each parameter by its group's rate.
        let before = net.parameters().map(\.scalars)
        for p in net.parameters() { p.grad = Tensor.ones(p.shape) }
        SGD(groups: groups).step()
        let moved = zip(before, net.parameters().map(\.scalars)).map { b, a in zip(b, a).map { $0 - $1 } }
        expectNear(moved[0], [Float](repeating: 0.05, count: 20))
        expectNear(moved[5], [Float](repeating: 0.5, count: 2))
        #expect(throws: TransferError.self) { try FineTuning.parameterGroups(net, headLayers: 6, learningRate: 1) }
    }

    @Test func layerwiseRatesDecayTowardsTheInput() {
        let groups = FineTuning.layerwiseGroups(model(), learningRate: 1, decay: 0.5)
        // Layers 0, 2, 4 have parameters; layer i gets 0.5^(4 - i).
        #expect(groups.map { $0.parameters.map(\.name) } == [["0.weight", "0.bias"], ["2.weight", "2.bias"], ["4.weight", "4.bias"]])
        expectNear(groups.map(\.learningRate), [0.0625, 0.25, 1])
    }

    @Test func frozenLayersDoNotChangeAfterOptimizerSteps() throws {
        let net = model()
        try FineTuning.freeze(first: 3, of: net)
        #expect(FineTuning.frozenLayers(of: net) == [0, 2])
        let before = net.stateDict().mapValues { $0.copy() }
        // The optimizer is handed every parameter, with momentum and weight decay: frozen ones
        // get no gradient, so no step moves them.
        let opt = SGD(net.namedParameters(), learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        let x = sample([8, 4], seed: 5), y = Tensor([0, 1, 1, 0, 1, 0, 0, 1])
        for _ in 0..<5 {
            opt.zeroGrad()
            Loss.crossEntropy(net(x), y).backward()
            opt.step()
        }
        let after = net.stateDict()
        for key in ["0.weight", "0.bias", "2.weight", "2.bias"] { #expect(after[key]!.scalars == before[key]!.scalars, "\(key) moved") }
        for key in ["4.weight", "4.bias"] { #expect(after[key]!.scalars != before[key]!.scalars, "\(key) did not train") }
        // Frozen parameters are left out of fine-tuning groups; unfreezing brings them back.
        #expect(FineTuning.parameterGroups(net, headPrefixes: ["4"], learningRate: 1).count == 1)
        try FineTuning.unfreeze(layers: 2..<3, of: net)
        #expect(FineTuning.frozenLayers(of: net) == [0])
        #expect(throws: TransferError.self) { try FineTuning.freeze(layers: 3..<9, of: net) }
    }
}
