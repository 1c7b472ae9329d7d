import Foundation
import Graft
import Testing
@testable import GraftRecipes

@Suite struct ConSETests {
    /// Seen classes with embeddings s₀ = [1, 0], s₁ = [0, 1], s₂ = [−1, 0]; an image with
    /// p = [0.5, 0.3, 0.2]; unseen candidates u₀ = [1, 1], u₁ = [1, 0], u₂ = [0, 1].
    let seen = Tensor([1, 0, 0, 1, -1, 0], shape: [3, 2])
    let p = Tensor([0.5, 0.3, 0.2], shape: [1, 3])
    let unseen = Tensor([1, 1, 1, 0, 0, 1], shape: [3, 2])

    @Test func embeddingIsTheNormalisedTopTAverage() throws {
        // T = 2: (0.5 s₀ + 0.3 s₁) / 0.8 = [0.625, 0.375].
        let f2 = try ConSE.embed(probabilities: p, seenEmbeddings: seen, top: 2).scalars
        #expect(abs(f2[0] - 0.625) < 1e-6 && abs(f2[1] - 0.375) < 1e-6)
        // T = 3: 0.5 s₀ + 0.3 s₁ + 0.2 s₂ = [0.3, 0.3] (Z = 1).
        let f3 = try ConSE.embed(probabilities: p, seenEmbeddings: seen, top: 3).scalars
        #expect(abs(f3[0] - 0.3) < 1e-6 && abs(f3[1] - 0.3) < 1e-6)
    }

    @Test func predictionIsTheNearestCandidateByCosine() throws {
        // T = 1: f = s₀, nearest u₁. T = 2: cosines 0.970, 0.857, 0.514 → u₀. T = 3: f ∥ u₀.
        #expect(try ConSE.predict(probabilities: p, seenEmbeddings: seen, candidates: unseen, top: 1) == [1])
        #expect(try ConSE.predict(probabilities: p, seenEmbeddings: seen, candidates: unseen, top: 2) == [0])
        #expect(try ConSE.predict(probabilities: p, seenEmbeddings: seen, candidates: unseen, top: 3) == [0])
    }

    @Test func badSettingsAreRefused() {
        #expect(throws: ZeroShotError.invalidSetting(name: "top", reason: "expected 1...3 (the number of seen classes), got 4")) {
            try ConSE.embed(probabilities: p, seenEmbeddings: seen, top: 4)
        }
        #expect(throws: ZeroShotError.self) { try ConSE.embed(probabilities: p, seenEmbeddings: unseen.slice(axis: 0, start: 0, end: 2), top: 1) }
    }
}
