import Foundation
import Graft
import GraftNN
import Testing
@testable import GraftRecipes

@Suite struct EmbeddingModelTests {
    @Test func hingeRankLossOnAHandComputedToy() throws {
        // Class embeddings t₀ = [1, 0], t₁ = [0, 1], t₂ = [0.5, 0.5], margin 0.1.
        // v = [0.2, 0.6], y = 0: scores 0.2, 0.6, 0.4 → (0.1 − 0.2 + 0.6) + (0.1 − 0.2 + 0.4) = 0.8.
        // v = [1, 0], y = 1: scores 1, 0, 0.5 → (0.1 − 0 + 1) + (0.1 − 0 + 0.5) = 1.7. Mean 1.25.
        let t = Tensor([1, 0, 0, 1, 0.5, 0.5], shape: [3, 2])
        let v = Tensor([0.2, 0.6, 1, 0], shape: [2, 2])
        let loss = try EmbeddingModel.hingeRankLoss(projected: v, classEmbeddings: t, targets: Tensor([0, 1]), margin: 0.1)
        #expect(abs(loss.item - 1.25) < 1e-6)
        // A ranking that is right by more than the margin costs nothing.
        let good = try EmbeddingModel.hingeRankLoss(projected: Tensor([1, 0], shape: [1, 2]), classEmbeddings: t, targets: Tensor([0]))
        #expect(good.item == 0)
        #expect(throws: ZeroShotError.self) {
            try EmbeddingModel.hingeRankLoss(projected: v, classEmbeddings: t, targets: Tensor([0, 3]))
        }
    }

    @Test func trainingOnASeparableToyReachesFullAccuracy() throws {
        // Three clusters in 2-D, three unit class embeddings in 5-D.
        let centres: [[Float]] = [[2, 0], [-1, 1.7], [-1, -1.7]]
        let g = RandomGenerator(seed: 5)
        var x: [Float] = [], labels: [Float] = []
        for i in 0..<150 {
            let c = i % 3
            x += centres[c].map { $0 + 0.3 * (g.nextFloat() - 0.5) }
            labels.append(Float(c))
        }
        let raw = Tensor.randn([3, 5], generator: RandomGenerator(seed: 6))
        let embeddings = raw / raw.norm(axes: [1], keepDims: true)
        let features = Tensor(x, shape: [150, 2]), y = Tensor(labels, shape: [150])
        let projection = Linear(2, 5, generator: RandomGenerator(seed: 7))
        let history = try EmbeddingModel.train(projection, features: features, labels: y, classEmbeddings: embeddings,
                                               epochs: 40, batchSize: 15, learningRate: 0.05, margin: 0.1, seed: 8)
        #expect(history.last! < history.first!)
        for kind in ClassScores.Similarity.allCases {
            let predicted = try EmbeddingModel.predict(projection, features: features, candidates: embeddings, similarity: kind)
            #expect(predicted == labels.map { Int($0) }, "\(kind)")
        }
    }

    @Test func cosineAndDotScoresAreHandComputed() throws {
        let v = Tensor([3, 4], shape: [1, 2]), c = Tensor([1, 0, 0, 2], shape: [2, 2])
        #expect(try ClassScores.similarity(v, c, .dot).scalars == [3, 8])
        let cos = try ClassScores.similarity(v, c, .cosine).scalars
        #expect(abs(cos[0] - 0.6) < 1e-6 && abs(cos[1] - 0.8) < 1e-6)
        #expect(ClassScores.argmax(Tensor([1, 3, 3, 5, 0, 2], shape: [2, 3])) == [1, 0])
    }
}
