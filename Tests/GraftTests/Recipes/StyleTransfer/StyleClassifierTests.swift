import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct StyleClassifierTests {
    @Test func separatesTheTwoToyStyles() {
        let g = RandomGenerator(seed: 1)
        let sides = [ToyStyles.sentences(400, style: 0, generator: RandomGenerator(seed: 2)),
                     ToyStyles.sentences(400, style: 1, generator: RandomGenerator(seed: 3))]
        let classifier = StyleClassifier(vocabulary: ToyStyles.vocabulary, length: 14, padIndex: 0, embedding: 16, maps: 16, generator: g)
        let optimizer = Adam(classifier.namedParameters(), learningRate: 0.01)
        for _ in 0..<60 {
            let a = (0..<16).map { _ in sides[0][g.nextInt(below: 400)] }, b = (0..<16).map { _ in sides[1][g.nextInt(below: 400)] }
            classifier.trainStep(a + b, styles: [Int](repeating: 0, count: 16) + [Int](repeating: 1, count: 16), optimizer: optimizer)
        }
        // Held-out sentences with at least one style word (the others carry no style).
        let test = (0..<2).map { s in
            ToyStyles.sentences(300, style: s, generator: RandomGenerator(seed: 10 + UInt64(s))).filter { $0.contains { $0 >= 16 } }
        }
        let accuracy = (classifier.share(test[0], classifiedAs: 0) + classifier.share(test[1], classifiedAs: 1)) / 2
        #expect(accuracy > 0.98, "accuracy \(accuracy)")
        #expect(classifier.isTraining, "evaluation restores the training mode")
    }

    @Test func readsOneHotDistributionsLikeTokens() {
        let classifier = StyleClassifier(vocabulary: 10, length: 6, padIndex: 0, embedding: 4, maps: 3, dropout: 0,
                                         generator: RandomGenerator(seed: 5))
        let sentences: [[Int]] = [[4, 5, 6, 7], [8, 9]]
        let byTokens = classifier.logits(sentences).scalars
        // Soft tokens of 4 positions: row 1 ends after 2 tokens (then padding).
        let rows: [[Int]] = [[4, 5, 6, 7], [8, 9, 3, 3]]
        let oneHots = Tensor.oneHot(Tensor(rows.flatMap { $0.map(Float.init) }, shape: [2, 4]), classes: 10)
        let soft = SoftSequence(distributions: oneHots, tokens: sentences)
        let byDistributions = classifier.logits(distributions: soft.padded(padIndex: 0)).scalars
        expectClose(byDistributions, byTokens, tol: 1e-5)
        #expect(classifier.batch([[4, 5, 6, 7, 8, 9, 4]]).scalars == [4, 5, 6, 7, 8, 9], "long sentences are cut")
    }
}
