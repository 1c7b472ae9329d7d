import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct ProgressiveNetworkTests {
    /// Trains `column` for `steps` Adam steps on a fixed regression batch; returns the final loss.
    @discardableResult
    func train(_ net: ProgressiveNetwork, column: Int, steps: Int, seed: UInt64) -> Float {
        let x = sample([16, 4], seed: seed), y = sample([16, net.outputSizes[column]], seed: seed + 100)
        let opt = Adam(net.namedParameters().filter { $0.tensor.requiresGrad }, learningRate: 0.01)
        var last: Float = 0
        for _ in 0..<steps {
            opt.zeroGrad()
            let loss = Loss.mse(net(x, column: column), y)
            loss.backward()
            opt.step()
            last = loss.item
        }
        return last
    }

    @Test func columnsAndAdaptersAreNamedByIndex() {
        let g = RandomGenerator(seed: 1)
        let net = ProgressiveNetwork(inputSize: 4, hiddenSizes: [8, 6])
        net.addColumn(outputSize: 2, generator: g)
        net.addColumn(outputSize: 3, generator: g)
        let names = net.namedParameters().map(\.name)
        #expect(names.filter { $0.hasPrefix("columns.0.") }.count == 6)
        #expect(names.contains("columns.1.adapters.1.scale") && names.contains("columns.1.adapters.2.output.weight"))
        #expect(!names.contains { $0.hasPrefix("columns.1.adapters.0") })
        // The adapter into layer 2 of column 2 reads both earlier columns' 6-wide layer: [6, 12].
        net.addColumn(outputSize: 1, generator: g)
        #expect(net.columns[2].adapters[2]!.projection.weight.shape == [6, 12])
        #expect(net(sample([5, 4]), column: 2).shape == [5, 1])
    }

    @Test func earlierColumnsAreUntouchedByTrainingALaterTask() {
        let g = RandomGenerator(seed: 2)
        let net = ProgressiveNetwork(inputSize: 4, hiddenSizes: [8, 8])
        net.addColumn(outputSize: 2, generator: g)
        let first = train(net, column: 0, steps: 30, seed: 3)
        #expect(first.isFinite)
        let probe = sample([7, 4], seed: 11)
        let column0 = net.columns[0].stateDict().mapValues { $0.copy() }
        let output0 = noGrad { net(probe, column: 0) }.scalars
        net.addColumn(outputSize: 3, generator: g)
        #expect(net.columns[0].trainableParameters().isEmpty)
        let column1 = net.columns[1].stateDict().mapValues { $0.copy() }
        let initialLoss = noGrad { Loss.mse(net(sample([16, 4], seed: 5), column: 1), sample([16, 3], seed: 105)) }.item
        let finalLoss = train(net, column: 1, steps: 40, seed: 5)
        #expect(finalLoss < initialLoss)
        for (key, t) in net.columns[0].stateDict() { #expect(t.scalars == column0[key]!.scalars, "columns.0.\(key) changed") }
        #expect(noGrad { net(probe, column: 0) }.scalars == output0)
        #expect(net.columns[1].stateDict().contains { $0.value.scalars != column1[$0.key]!.scalars })
    }

    @Test func lateralAdaptersCarryEarlierFeatures() {
        let g = RandomGenerator(seed: 6)
        let net = ProgressiveNetwork(inputSize: 3, hiddenSizes: [5])
        net.addColumn(outputSize: 2, generator: g)
        net.addColumn(outputSize: 2, generator: g)
        let x = sample([4, 3], seed: 8)
        // h^(1) of the output layer = W h^(1)_hidden + b + U relu(V (α h^(0)_hidden) + c).
        let c0 = net.columns[0], c1 = net.columns[1], a = c1.adapters[1]!
        let want = noGrad { () -> Tensor in
            let h0 = c0.layers[0](x).relu(), h1 = c1.layers[0](x).relu()
            return c1.layers[1](h1) + a.output(a.projection(h0 * a.scale).relu())
        }
        expectNear(noGrad { net(x, column: 1) }.scalars, want.scalars)
        // The frozen column still passes gradient to the adapter that reads it.
        let loss = net(x, column: 1).square().sum()
        let grads = grad(of: [loss], wrt: [a.scale, a.projection.weight])
        #expect(grads.allSatisfy { $0.scalars.contains { $0 != 0 } })
    }
}
