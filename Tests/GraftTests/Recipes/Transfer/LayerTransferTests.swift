import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct LayerTransferTests {
    func net(seed: UInt64, classes: Int = 3) -> Sequential {
        let g = RandomGenerator(seed: seed)
        return Sequential(Linear(4, 6, generator: g), ReLU(), Linear(6, 6, generator: g), ReLU(), Linear(6, classes, generator: g))
    }

    @Test func copiesExactlyTheFirstLayers() throws {
        let source = net(seed: 1), target = net(seed: 2, classes: 5)
        let untouched = target.stateDict().mapValues { $0.copy() }
        let keys = try LayerTransfer.copy(first: 3, from: source, into: target)
        #expect(keys == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let s = source.stateDict(), t = target.stateDict()
        for key in keys { #expect(t[key]!.scalars == s[key]!.scalars, "\(key) was not copied") }
        for key in ["4.weight", "4.bias"] { #expect(t[key]!.scalars == untouched[key]!.scalars, "\(key) changed") }
        // Copies, not shared storage: training the target leaves the source alone.
        noGrad { target.parameters()[0].assign(Tensor.zeros([6, 4])) }
        #expect(source.parameters()[0].scalars != [Float](repeating: 0, count: 24))
        #expect(target.trainableParameters().count == 6)
    }

    @Test func copiedLayersCanBeFrozen() throws {
        let source = net(seed: 1), target = net(seed: 2)
        try LayerTransfer.copy(first: 1, from: source, into: target, freeze: true)
        #expect(FineTuning.frozenLayers(of: target) == [0])
        #expect(target.namedParameters().filter { !$0.tensor.requiresGrad }.map(\.name) == ["0.weight", "0.bias"])
    }

    @Test func copiesTheLastLayersOfModelsOfDifferentDepth() throws {
        let g = RandomGenerator(seed: 9)
        let source = net(seed: 1)
        let target = Sequential(Linear(4, 6, generator: g), ReLU(), Linear(6, 6, generator: g), ReLU(),
                                Linear(6, 6, generator: g), ReLU(), Linear(6, 3, generator: g))
        let before = target.stateDict().mapValues { $0.copy() }
        let keys = try LayerTransfer.copy(last: 3, from: source, into: target)
        #expect(keys == ["4.weight", "4.bias", "6.weight", "6.bias"])
        let s = source.stateDict(), t = target.stateDict()
        #expect(t["4.weight"]!.scalars == s["2.weight"]!.scalars && t["6.bias"]!.scalars == s["4.bias"]!.scalars)
        for key in ["0.weight", "0.bias", "2.weight", "2.bias"] { #expect(t[key]!.scalars == before[key]!.scalars) }
    }

    @Test func aRefusedCopyChangesNothing() throws {
        let source = net(seed: 1), target = net(seed: 2, classes: 5)
        let before = target.stateDict().mapValues { $0.copy() }
        // Layers 0 and 2 match, layer 4 does not (3 vs 5 classes): nothing may be copied.
        #expect(throws: TransferError.shapeMismatch(key: "4.weight", source: [3, 6], target: [5, 6])) {
            try LayerTransfer.copy(first: 5, from: source, into: target, freeze: true)
        }
        for (key, t) in target.stateDict() { #expect(t.scalars == before[key]!.scalars, "\(key) changed") }
        #expect(target.trainableParameters().count == 6)
        #expect(throws: TransferError.self) { try LayerTransfer.copy(first: 6, from: source, into: target) }
        // A layer with a bias into one without.
        let noBias = Sequential(Linear(4, 6, bias: false))
        #expect(throws: TransferError.missingKey(key: "0.bias", in: "target")) {
            try LayerTransfer.copy(first: 1, from: source, into: noBias)
        }
    }
}
