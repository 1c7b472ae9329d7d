import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct MultitaskTests {
    func model() -> MultitaskModel {
        let g = RandomGenerator(seed: 4)
        return MultitaskModel(trunk: Sequential(Linear(3, 5, generator: g), Tanh()),
                              heads: [Linear(5, 2, generator: g), Linear(5, 4, generator: g)])
    }

    @Test func headsShareTheTrunk() {
        let m = model()
        #expect(m.namedParameters().map(\.name) == ["trunk.0.weight", "trunk.0.bias", "heads.0.weight", "heads.0.bias",
                                                    "heads.1.weight", "heads.1.bias"])
        let x = sample([6, 3], seed: 2)
        let all = m(x)
        #expect(all.map(\.shape) == [[6, 2], [6, 4]])
        #expect(m(x, task: 1).scalars == all[1].scalars)
    }

    @Test func lossesAreWeightedAsStated() throws {
        let m = model()
        let x = sample([6, 3], seed: 2)
        let y0 = Tensor([0, 1, 1, 0, 1, 0]), y1 = Tensor([3, 2, 0, 1, 3, 2])
        let weights = try MultitaskLoss(weights: [0.25, 2])
        let trunk = m.trunk.parameters()
        func losses() -> [Tensor] { [Loss.crossEntropy(m(x, task: 0), y0), Loss.crossEntropy(m(x, task: 1), y1)] }
        let (l0, l1) = (losses()[0].item, losses()[1].item)
        let combined = weights.combine(losses())
        #expect(abs(combined.item - (0.25 * l0 + 2 * l1)) < 1e-5)
        // The trunk's gradient is the same weighted sum of the tasks' gradients.
        let g = grad(of: [combined], wrt: trunk)
        let g0 = grad(of: [losses()[0]], wrt: trunk), g1 = grad(of: [losses()[1]], wrt: trunk)
        for i in trunk.indices { expectNear(g[i].scalars, zip(g0[i].scalars, g1[i].scalars).map { 0.25 * $0 + 2 * $1 }) }
        // An interleaved batch's loss is scaled by its task's weight.
        #expect(abs(weights.weighted(losses()[1], task: 1).item - 2 * l1) < 1e-5)
        #expect(throws: TransferError.self) { try MultitaskLoss(weights: [1, -1]) }
        #expect(MultitaskLoss(equalFor: 3).weights == [1, 1, 1])
    }

    @Test func batchesInterleave() {
        #expect(TaskInterleaving.roundRobin.order(batchCounts: [3, 1, 2]) == [0, 1, 2, 0, 2, 0])
        let shuffled = TaskInterleaving.shuffled(seed: 7).order(batchCounts: [5, 2, 3])
        #expect(shuffled.count == 10)
        #expect((0..<3).map { t in shuffled.filter { $0 == t }.count } == [5, 2, 3])
        #expect(TaskInterleaving.shuffled(seed: 7).order(batchCounts: [5, 2, 3]) == shuffled)
        #expect(TaskInterleaving.shuffled(seed: 8).order(batchCounts: [50, 20, 30])
                != TaskInterleaving.shuffled(seed: 7).order(batchCounts: [50, 20, 30]))
    }
}
