import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct SparseAutoencoderTests {
    @Test func sparsityPenaltyMatchesItsFormula() {
        let rho = 0.05, beta = 3.0
        let rhoHat: [Float] = [0.05, 0.2, 0.01, 0.5]
        let want = beta * rhoHat.reduce(0.0) { s, r in
            let r = Double(r)
            return s + rho * log(rho / r) + (1 - rho) * log((1 - rho) / (1 - r))
        }
        let got = SparseAutoencoder.sparsityPenalty(rho: 0.05, rhoHat: Tensor(rhoHat), beta: 3).item
        #expect(abs(Double(got) - want) < 1e-5)
        // Zero exactly at ρ̂ = ρ, with zero gradient there.
        let atTarget = Tensor([0.05, 0.05]).requiringGrad()
        let penalty = SparseAutoencoder.sparsityPenalty(rho: 0.05, rhoHat: atTarget, beta: 3)
        #expect(abs(penalty.item) < 1e-6)
        #expect(grad(of: penalty, wrt: atTarget).scalars.allSatisfy { abs($0) < 1e-4 })
        // d/dρ̂ β KL = β (−ρ/ρ̂ + (1−ρ)/(1−ρ̂)).
        let r = Tensor([0.2]).requiringGrad()
        let g = grad(of: SparseAutoencoder.sparsityPenalty(rho: 0.05, rhoHat: r, beta: 3), wrt: r).item
        #expect(abs(Double(g) - 3 * (-0.05 / 0.2 + 0.95 / 0.8)) < 1e-4)
    }

    @Test func lossTermsMatchTheObjectiveComputedByHand() {
        let ae = SparseAutoencoder(inputSize: 3, hiddenSize: 2, rho: 0.1, beta: 2, weightDecay: 0.01, generator: RandomGenerator(seed: 4))
        let x = sample([5, 3], low: 0, high: 1, seed: 9)
        let terms = ae.lossTerms(x)
        // The same objective in Double, from the weights.
        let w1 = ae.encoder.weight.scalars.map(Double.init), b1 = ae.encoder.bias!.scalars.map(Double.init)
        let w2 = ae.decoder.weight.scalars.map(Double.init), b2 = ae.decoder.bias!.scalars.map(Double.init)
        let xs = x.scalars.map(Double.init)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        func dot(_ w: [Double], row: Int, _ v: [Double]) -> Double {
            var s = 0.0
            for k in v.indices { s += w[row * v.count + k] * v[k] }
            return s
        }
        var recon = 0.0
        var meanA = [0.0, 0.0]
        for n in 0..<5 {
            let input = Array(xs[(n * 3)..<(n * 3 + 3)])
            let a: [Double] = (0..<2).map { j in sigmoid(b1[j] + dot(w1, row: j, input)) }
            for j in 0..<2 { meanA[j] += a[j] / 5 }
            for i in 0..<3 {
                let diff = sigmoid(b2[i] + dot(w2, row: i, a)) - input[i]
                recon += 0.5 * diff * diff / 5
            }
        }
        let decay = 0.005 * (w1 + w2).reduce(0) { $0 + $1 * $1 }
        let sparsity = 2 * meanA.reduce(0) { $0 + 0.1 * log(0.1 / $1) + 0.9 * log(0.9 / (1 - $1)) }
        #expect(abs(Double(terms.reconstruction.item) - recon) < 1e-5)
        #expect(abs(Double(terms.weightDecay.item) - decay) < 1e-6)
        #expect(abs(Double(terms.sparsity.item) - sparsity) < 1e-4)
        #expect(abs(Double(ae.loss(x).item) - (recon + decay + sparsity)) < 1e-4)
        #expect(ae.features(x).shape == [5, 2] && !ae.features(x).requiresGrad)
    }

    @Test func selfTaughtFeaturesFeedAClassifier() throws {
        // Unlabelled "images": noisy mixtures of four 8-pixel strokes; the labelled target task
        // tells two of the strokes apart from a handful of examples.
        let g = RandomGenerator(seed: 12)
        let strokes: [[Float]] = (0..<4).map { s in (0..<8).map { $0 / 2 == s ? 1 : 0 } }
        func image(_ s: Int) -> [Float] { strokes[s].map { min(1, max(0, 0.9 * $0 + 0.05 + 0.05 * (g.nextFloat() - 0.5))) } }
        let unlabelled = Tensor((0..<200).flatMap { _ in image(g.nextInt(below: 4)) }, shape: [200, 8])
        let ae = SparseAutoencoder(inputSize: 8, hiddenSize: 6, rho: 0.1, beta: 0.5, weightDecay: 1e-4, generator: RandomGenerator(seed: 3))
        let history = try SelfTaughtLearning.pretrain(ae, unlabelled: unlabelled, epochs: 30, batchSize: 20, learningRate: 0.02, seed: 5)
        #expect(history.count == 30 && history.last! < history.first!)
        let labels: [Float] = [0, 1, 0, 1, 0, 1]
        let labelled = Tensor(labels.flatMap { image($0 == 0 ? 1 : 3) }, shape: [6, 8])
        let classifier = try SelfTaughtLearning.trainClassifier(features: ae.features(labelled), labels: Tensor(labels), classes: 2,
                                                                epochs: 300, learningRate: 0.05, seed: 1)
        let testLabels: [Float] = (0..<20).map { Float($0 % 2) }
        let test = Tensor(testLabels.flatMap { image($0 == 0 ? 1 : 3) }, shape: [20, 8])
        #expect(SelfTaughtLearning.accuracy(logits: noGrad { classifier(ae.features(test)) }, labels: Tensor(testLabels)) == 1)
        #expect(throws: TransferError.self) {
            try SelfTaughtLearning.trainClassifier(features: ae.features(labelled), labels: Tensor([0, 1, 0, 1, 0, 2]),
                                                   classes: 2, epochs: 1, seed: 1)
        }
    }
}
