import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct CrossAlignedAutoencoderTests {
    static func model(seed: UInt64 = 1) -> CrossAlignedAutoencoder {
        CrossAlignedAutoencoder(vocabulary: ToyStyles.vocabulary, embedding: 16, styleSize: 8, contentSize: 32, maxLength: 12, maps: 8,
                                widths: [1, 2, 3], gamma: 0.1, adversarialWeight: 0.3, generator: RandomGenerator(seed: seed))
    }

    @Test func statesHaveTheShapesTheDiscriminatorsRead() {
        let model = Self.model()
        let sentences: [[Int]] = [[4, 16, 5], [6, 7, 18, 9]]
        let z = model.encode(sentences, style: 0)
        #expect(z.shape == [2, 32])
        let (real, logits) = model.teacherForced(sentences, style: 0, content: z, steps: 5)
        #expect(real.shape == [2, 6, 40] && logits.shape == [2, 5, ToyStyles.vocabulary])
        let (fake, tokens) = model.freeRunning(style: 1, content: z, steps: 5)
        #expect(fake.shape == [2, 6, 40] && tokens.allSatisfy { $0.count <= 5 })
        // h_0 = [v_y; z]: the same content under the two styles differs only in its first 8 units.
        let h0 = real.select(axis: 1, index: 0).scalars, h0Other = fake.select(axis: 1, index: 0).scalars
        #expect(Array(h0[8..<40]) == Array(h0Other[8..<40]) && Array(h0[0..<8]) != Array(h0Other[0..<8]))
        // Padding in the encoder's input does not change z.
        expectClose(model.encode([[4, 16, 5]], style: 0).scalars, Array(z.scalars[0..<32]), tol: 1e-5)
    }

    @Test func learnsTheCipherOnShortSentences() throws {
        // Short sentences (one or two content words): an autoencoder without attention learns them in a few hundred steps.
        let words = 1...2
        let sides = [ToyStyles.sentences(600, style: 0, words: words, generator: RandomGenerator(seed: 1)),
                     ToyStyles.sentences(600, style: 1, words: words, generator: RandomGenerator(seed: 2))]
        let model = Self.model(seed: 3)
        let g = RandomGenerator(seed: 4)
        let ae = Adam(model.autoencoderParameters(), learningRate: 0.01), d = Adam(model.discriminatorParameters(), learningRate: 0.01)
        var aligned = 0
        var last: CrossAlignedLossValues? = nil
        for _ in 0..<400 {
            let batches = sides.map { side in (0..<16).map { _ in side[g.nextInt(below: side.count)] } }
            let l = model.trainStep(batches, autoencoderOptimizer: ae, discriminatorOptimizer: d)
            last = l
            #expect(l.isFinite)
            if l.aligned { aligned += 1 }
        }
        let test = ToyStyles.sentences(200, style: 0, words: words, generator: RandomGenerator(seed: 77))
        let transferred = model.transfer(test, from: 0)
        let accuracy = ToyStyles.tokenAccuracy(transferred, test.map(ToyStyles.cipher))
        let styleWords = ToyStyles.styleWordAccuracy(transferred, test.map(ToyStyles.cipher))
        let rebuilt = noGrad { model.greedy(style: 0, content: model.encode(test, style: 0)) }
        #expect(aligned > 0, "the alignment term was used (discriminator loss \(last!.discriminator))")
        #expect(ToyStyles.tokenAccuracy(rebuilt, test) > 0.9, "reconstruction accuracy \(ToyStyles.tokenAccuracy(rebuilt, test))")
        #expect(accuracy > 0.9, "token accuracy \(accuracy)")
        #expect(styleWords > 0.9, "style-word accuracy \(styleWords)")
    }
}
