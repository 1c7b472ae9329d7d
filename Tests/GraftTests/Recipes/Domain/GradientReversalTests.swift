import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct GradientReversalTests {
    @Test func forwardIsTheIdentityAndBackwardIsMinusLambdaTimesTheUpstreamGradient() {
        let upstream = sample([3, 4], seed: 7)
        for lambda: Float in [0, 0.25, 1, 2.5, -1] {
            let x = sample([3, 4], seed: 3).requiringGrad()
            let layer = GradientReversal(lambda: lambda)
            let y = layer(x)
            #expect(y.scalars == x.scalars)
            #expect(y.shape == x.shape)
            (y * upstream).sum().backward()
            let g = x.grad!.scalars
            for i in 0..<g.count { #expect(g[i] == -lambda * upstream.scalars[i], "λ = \(lambda), element \(i)") }
        }
        // No parameters: the reversal adds nothing to a model's state.
        #expect(GradientReversal().namedParameters().isEmpty)
    }

    /// A small smooth DANN (tanh everywhere, so finite differences are accurate).
    static func tinyModel(seed: UInt64) -> DANNModel {
        let g = RandomGenerator(seed: seed)
        return DANNModel(features: Sequential(Linear(2, 4, generator: g), Tanh()), labelPredictor: Linear(4, 2, generator: g),
                         domainClassifier: Sequential(Linear(4, 3, generator: g), Tanh(), Linear(3, 2, generator: g)))
    }

    @Test func withLambdaMinusOneTheLossGradientMatchesFiniteDifferences() {
        let model = Self.tinyModel(seed: 5)
        model.reversal.lambda = -1
        let labels = Tensor([0, 1, 1], shape: [3])
        checkGradients([sample([3, 2], seed: 11), sample([2, 2], seed: 12)]) { inputs in
            let (label, domain) = try! DANNTrainer.losses(model: model, mode: .adversarial, source: inputs[0], labels: labels, target: inputs[1])
            return label + domain!
        }
    }

    @Test func theReversalFlipsOnlyTheFeatureExtractorsShareOfTheDomainGradient() throws {
        let source = sample([4, 2], seed: 21), target = sample([3, 2], seed: 22)
        let labels = Tensor([0, 1, 0, 1], shape: [4])
        let lambda: Float = 0.7
        // The gradients of each term alone (λ = -1 makes the reversal an ordinary identity).
        func gradients(_ model: DANNModel, term: (Tensor, Tensor?) -> Tensor) throws -> [String: [Float]] {
            let (label, domain) = try DANNTrainer.losses(model: model, mode: .adversarial, source: source, labels: labels, target: target)
            let params = model.namedParameters()
            let grads = grad(of: [term(label, domain)], wrt: params.map(\.tensor))
            return Dictionary(uniqueKeysWithValues: zip(params.map(\.name), grads.map(\.scalars)))
        }
        let model = Self.tinyModel(seed: 9)
        model.reversal.lambda = -1
        let labelOnly = try gradients(model) { l, _ in l }
        let domainOnly = try gradients(model) { _, d in d! }
        model.reversal.lambda = lambda
        let both = try gradients(model) { l, d in l + d! }
        for (name, g) in both {
            let expected: [Float]
            if name.hasPrefix("features.") {
                expected = zip(labelOnly[name]!, domainOnly[name]!).map { $0 - lambda * $1 }
            } else {
                expected = zip(labelOnly[name]!, domainOnly[name]!).map { $0 + $1 }
            }
            expectClose(g, expected, tol: 1e-5)
        }
        #expect(both.keys.contains("features.0.weight") && both.keys.contains("domainClassifier.2.weight")
                && both.keys.contains("labelPredictor.weight"))
    }
}
