import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct DirectStyleTransferTests {
    /// Identity-only warm-up steps, then steps of the full objective.
    static let warmup = 150, steps = 400

    /// The fixed helpers of the transfer: a style classifier and one language model per style,
    /// trained on the unpaired toy sentences.
    static func judges(_ sides: [[[Int]]], seed: UInt64, lmSteps: Int = 150) -> (StyleClassifier, [TokenGenerator]) {
        let g = RandomGenerator(seed: seed)
        let classifier = StyleClassifier(vocabulary: ToyStyles.vocabulary, length: 14, padIndex: 0, embedding: 16, maps: 16, generator: g)
        let cOptimizer = Adam(classifier.namedParameters(), learningRate: 0.01)
        for _ in 0..<40 {
            let a = (0..<16).map { _ in sides[0][g.nextInt(below: sides[0].count)] }
            let b = (0..<16).map { _ in sides[1][g.nextInt(below: sides[1].count)] }
            classifier.trainStep(a + b, styles: [Int](repeating: 0, count: 16) + [Int](repeating: 1, count: 16), optimizer: cOptimizer)
        }
        let models = sides.map { side -> TokenGenerator in
            let lm = TokenGenerator(vocabulary: ToyStyles.vocabulary, embedding: 16, hidden: 32, startToken: 2, generator: g)
            let optimizer = Adam(lm.namedParameters(), learningRate: 0.01)
            for _ in 0..<lmSteps {
                lm.fitStep((0..<32).map { _ in side[g.nextInt(below: side.count)] }, endIndex: 3, padIndex: 0, optimizer: optimizer)
            }
            return lm
        }
        for m in [classifier] as [Module] + models { m.eval(); m.freeze() }
        return (classifier, models)
    }

    @Test func learnsTheCipherFromUnpairedSentences() throws {
        // The two sides come from different draws: no sentence appears in both styles.
        let words = 2...4
        let sides = [ToyStyles.sentences(600, style: 0, words: words, generator: RandomGenerator(seed: 1)),
                     ToyStyles.sentences(600, style: 1, words: words, generator: RandomGenerator(seed: 2))]
        let (classifier, lms) = Self.judges(sides, seed: 3)
        let g = RandomGenerator(seed: 4)
        let model = try DirectStyleTransfer(StyleTransferConfig(vocabulary: ToyStyles.vocabulary, embedding: 16, hidden: 32, maxLength: 12,
                                                                temperature: 0.5, noise: false),
                                            generator: RandomGenerator(seed: 5))
        let optimizer = Adam(model.namedParameters(), learningRate: 0.01)
        var last: StyleTransferLossValues? = nil
        var copyLoss: Float = 0
        for _ in 0..<Self.warmup {
            copyLoss = model.identityStep(sides.map { side in (0..<16).map { _ in side[g.nextInt(below: side.count)] } }, optimizer: optimizer)
        }
        let copies = model.transfer(sides[0].prefix(100).map { $0 }, to: 0)
        // The warm-up alone teaches T to copy.
        #expect(ToyStyles.tokenAccuracy(copies, Array(sides[0].prefix(100))) > 0.9, "copy accuracy after the warm-up (identity loss \(copyLoss))")
        for _ in 0..<Self.steps {
            let batches = sides.map { side in (0..<16).map { _ in side[g.nextInt(below: side.count)] } }
            last = model.trainStep(batches, classifier: classifier, languageModels: lms, optimizer: optimizer, generator: g)
            #expect(last!.isFinite)
        }
        let test = ToyStyles.sentences(200, style: 0, words: words, generator: RandomGenerator(seed: 77))
        let out = model.transfer(test, to: 1)
        let accuracy = ToyStyles.tokenAccuracy(out, test.map(ToyStyles.cipher))
        let styleWords = ToyStyles.styleWordAccuracy(out, test.map(ToyStyles.cipher))
        let back = ToyStyles.tokenAccuracy(model.transfer(test.map(ToyStyles.cipher), to: 0), test)
        #expect(accuracy > 0.9 && back > 0.9, "token accuracy \(accuracy) forward, \(back) back")
        #expect(styleWords > 0.9, "style-word accuracy \(styleWords)")
        // Copying the input gets no style word right.
        #expect(ToyStyles.styleWordAccuracy(test, test.map(ToyStyles.cipher)) == 0)
    }

    @Test func copyWarmStartCopiesWhicheverStyleIsAskedFor() throws {
        let sides = [ToyStyles.sentences(400, style: 0, words: 2...4, generator: RandomGenerator(seed: 11)),
                     ToyStyles.sentences(400, style: 1, words: 2...4, generator: RandomGenerator(seed: 12))]
        let g = RandomGenerator(seed: 13)
        let config = StyleTransferConfig(vocabulary: ToyStyles.vocabulary, embedding: 16, hidden: 32, maxLength: 12, temperature: 0.5, noise: false)
        let plain = try DirectStyleTransfer(config, generator: RandomGenerator(seed: 14))
        let warm = try DirectStyleTransfer(config, generator: RandomGenerator(seed: 14))
        let plainOptimizer = Adam(plain.namedParameters(), learningRate: 0.01), warmOptimizer = Adam(warm.namedParameters(), learningRate: 0.01)
        for _ in 0..<Self.warmup {
            let batches = sides.map { side in (0..<16).map { _ in side[g.nextInt(below: side.count)] } }
            plain.identityStep(batches, optimizer: plainOptimizer)
            warm.identityStep(batches, optimizer: warmOptimizer, copyWeight: 1)
        }
        let test = ToyStyles.sentences(100, style: 0, words: 2...4, generator: RandomGenerator(seed: 78))
        // With the copy term, T(x, s') ≈ x: asked for the other style it still copies its input.
        let warmCopy = ToyStyles.tokenAccuracy(warm.transfer(test, to: 1), test)
        let plainCopy = ToyStyles.tokenAccuracy(plain.transfer(test, to: 1), test)
        #expect(warmCopy > 0.9, "copy accuracy asked for the other style: \(warmCopy) with the copy term")
        #expect(ToyStyles.tokenAccuracy(warm.transfer(test, to: 0), test) > 0.9)
        #expect(warmCopy > plainCopy, "copy accuracy asked for the other style: \(warmCopy) with the copy term, \(plainCopy) without")
    }

    @Test func copyTermEntersTheObjectiveOnlyWithItsWeight() throws {
        let sides = [ToyStyles.sentences(64, style: 0, generator: RandomGenerator(seed: 21)),
                     ToyStyles.sentences(64, style: 1, generator: RandomGenerator(seed: 22))]
        let (classifier, lms) = Self.judges(sides, seed: 23, lmSteps: 5)
        let model = try DirectStyleTransfer(StyleTransferConfig(vocabulary: ToyStyles.vocabulary, embedding: 8, hidden: 16,
                                                                maxLength: 12, noise: false),
                                            generator: RandomGenerator(seed: 24))
        let batch = Array(sides[0].prefix(8))
        let without = model.losses(batch, style: 0, classifier: classifier, languageModels: lms, generator: RandomGenerator(seed: 1))
        let with = model.losses(batch, style: 0, classifier: classifier, languageModels: lms, generator: RandomGenerator(seed: 1), copyWeight: 0.5)
        #expect(without.copy.item == 0)
        // -log p(x | x, s') of an untrained model is about log V.
        #expect(with.copy.item > 1 && with.copy.item < 2 * log(Float(ToyStyles.vocabulary)))
        // The other terms do not change; the total gains 0.5 × the copy loss.
        #expect(abs(with.identity.item - without.identity.item) < 1e-5 && abs(with.cycle.item - without.cycle.item) < 1e-5)
        #expect(abs(with.total.item - without.total.item - 0.5 * with.copy.item) < 1e-4)
    }
}
