import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes
import GraftData

/// The unpaired summarizer on a toy problem whose answer is known: a document is a "key" token
/// from 4...9 followed by its echo in a separate range (the key + 6, in 10...15), and summaries are
/// one token. All of a document's information is in its key, so a summary that lets the
/// reconstructor read the document back must carry the key; a reconstructor that cannot read it
/// guesses the key right one time in six.
@Suite struct UnsupervisedSummarizerTests {
    static let keyRange = 4...9
    static let keyLength = 1

    static func documents(_ count: Int, seed: UInt64) -> [[Int]] {
        let r = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            let key = r.permutation(keyRange.count).prefix(keyLength).map { keyRange.lowerBound + $0 }
            return key + key.map { $0 + keyRange.count }
        }
    }

    static func settings(adversarialWeight: Float) -> SummarizerSettings {
        var s = SummarizerSettings(vocabulary: 16, summaryLength: keyLength)
        s.embedding = 16
        s.hidden = 48
        s.learningRate = 1e-2
        s.discriminatorLearningRate = 3e-3
        s.discriminatorEmbedding = 16
        s.discriminatorWidths = [1]
        s.discriminatorMaps = [16]
        s.adversarialWeight = adversarialWeight
        return s
    }

    /// Trains `steps` batches of 32 fresh documents; the discriminator's "headlines" are other
    /// documents' keys (key-range tokens).
    static func train(_ summarizer: UnsupervisedSummarizer, steps: Int) throws -> [SummarizerStep] {
        try (0..<steps).map { i in
            try summarizer.step(documents: documents(32, seed: 1000 + UInt64(i)),
                                headlines: documents(32, seed: 50_000 + UInt64(i)).map { Array($0.prefix(keyLength)) })
        }
    }

    static func share(_ s: UnsupervisedSummarizer, _ docs: [[Int]], in range: ClosedRange<Int>) -> Double {
        let tokens = s.tokens(docs).flatMap { $0 }
        return Double(tokens.filter { range.contains($0) }.count) / Double(tokens.count)
    }

    static let trainSteps = 150

    @Test func reconstructionCarriesTheKeyAndTheDiscriminatorMovesTheSummaries() throws {
        let test = Self.documents(200, seed: 99)
        // λ = 0: a plain auto-encoder through the one-word bottleneck.
        let plain = try UnsupervisedSummarizer(settings: Self.settings(adversarialWeight: 0), seed: 7)
        let before = plain.reconstructionAccuracy(test, positions: Self.keyLength)
        let losses = try Self.train(plain, steps: Self.trainSteps)
        let after = plain.reconstructionAccuracy(test, positions: Self.keyLength)
        // Chance is 1/6; the key getting through the summary lifts the reconstructor well above it.
        #expect(after > 0.4 && after > before + 0.25, "key accuracy \(before) before training, \(after) after")
        let early = losses.prefix(10).map(\.reconstruction).reduce(0, +) / 10, late = losses.suffix(10).map(\.reconstruction).reduce(0, +) / 10
        #expect(late < early - 1, "reconstruction loss \(early) -> \(late)")
        // Without a discriminator nothing is adversarial.
        #expect(losses.allSatisfy { $0.adversarial == 0 && $0.discriminator == 0 })
        // Greedy summaries have K tokens and never a forbidden one.
        #expect(plain.tokens(test).allSatisfy { $0.count == Self.keyLength && !$0.contains { [0, 1, 2].contains($0) } })

        // λ = 1 with "headlines" that are other documents' keys (key-range tokens only):
        // reconstruction alone is free to use any of the 13 allowed tokens as its code, the
        // adversarial term pulls the summaries into the headlines' range.
        let adversarial = try UnsupervisedSummarizer(settings: Self.settings(adversarialWeight: 1), seed: 7)
        let adversarialLosses = try Self.train(adversarial, steps: Self.trainSteps)
        let plainShare = Self.share(plain, test, in: Self.keyRange), adversarialShare = Self.share(adversarial, test, in: Self.keyRange)
        #expect(adversarialShare > 0.8, "share of summary tokens in the headline range with D: \(adversarialShare)")
        #expect(adversarialShare > plainShare + 0.3, "with D \(adversarialShare), without \(plainShare)")
        #expect(adversarialLosses.allSatisfy {
            $0.discriminator > 0 && $0.adversarial > 0 && (0...1).contains($0.realScore) && (0...1).contains($0.fakeScore)
        })
    }

    @Test func warmUpStepsLeaveTheDiscriminatorOut() throws {
        var settings = Self.settings(adversarialWeight: 1)
        settings.warmUpSteps = 3
        let losses = try Self.train(try UnsupervisedSummarizer(settings: settings, seed: 2), steps: 5)
        #expect(losses.prefix(3).allSatisfy { $0.discriminator == 0 && $0.adversarial == 0 })
        #expect(losses.suffix(2).allSatisfy { $0.discriminator > 0 && $0.adversarial > 0 })
        settings.warmUpSteps = -1
        #expect(settings.problem != nil)
    }

    /// With copying, lead pre-training teaches G to write the document's first allowed token (the
    /// key) and the auto-encoder then passes the key to R; the copy gate adds a weight to each side.
    @Test func leadPreTrainingAndCopyingCarryTheKey() throws {
        var settings = Self.settings(adversarialWeight: 0)
        settings.copy = true
        let summarizer = try UnsupervisedSummarizer(settings: settings, seed: 7)
        let test = Self.documents(200, seed: 99)
        let leadLosses = try (0..<60).map { i in try summarizer.leadStep(documents: Self.documents(32, seed: 3000 + UInt64(i))) }
        let keys = test.map { Array($0.prefix(Self.keyLength)) }
        let copied = zip(summarizer.summarize(test), keys).filter { $0 == $1 }.count
        #expect(copied > 180, "\(copied) of 200 summaries are the document's key after lead pre-training")
        let firstLead: Double = leadLosses.prefix(5).reduce(0, +), lastLead: Double = leadLosses.suffix(5).reduce(0, +)
        #expect(lastLead < firstLead / 2, "lead loss \(firstLead / 5) -> \(lastLead / 5)")
        _ = try Self.train(summarizer, steps: 60)
        let accuracy = summarizer.reconstructionAccuracy(test, positions: Self.keyLength)
        // From another document's summary R guesses the key about one time in six.
        let other = summarizer.reconstructionAccuracy(test, summaries: Array(summarizer.tokens(test).dropFirst()) + summarizer.tokens(test).prefix(1),
                                                      positions: Self.keyLength)
        #expect(accuracy > 0.9 && other < 0.4, "key accuracy from its own summary \(accuracy), from another's \(other)")
        let optimized = summarizer.optimizer.groups.flatMap(\.parameters).count
        let models = summarizer.generatorNet.model.parameters().count + summarizer.reconstructor.model.parameters().count
        #expect(optimized == models + 4)
    }

    @Test func blockedRepeatsLeaveEachWordOnce() throws {
        // An untrained generator of 6-token summaries tends to repeat its favourite word; with the
        // rule every word but the end token appears at most once per summary.
        var settings = Self.settings(adversarialWeight: 0)
        settings.summaryLength = 6
        settings.discriminatorWidths = [1]
        let docs = Self.documents(50, seed: 21)
        let free = try UnsupervisedSummarizer(settings: settings, seed: 5).tokens(docs)
        settings.blockRepeatedWords = true
        let blocked = try UnsupervisedSummarizer(settings: settings, seed: 5).tokens(docs)
        func repeats(_ rows: [[Int]]) -> Int { rows.map { row in row.filter { $0 != 3 }.count - Set(row.filter { $0 != 3 }).count }.reduce(0, +) }
        #expect(repeats(blocked) == 0 && blocked.allSatisfy { $0.count == 6 })
        #expect(repeats(free) > 0, "the unconstrained generator repeated no word, so the check shows nothing")
        // Up to its first repeat, the blocked summary is the free one.
        for (a, b) in zip(free, blocked) {
            let n = (1...a.count).first { Set(a.prefix($0).filter { $0 != 3 }).count < a.prefix($0).filter { $0 != 3 }.count } ?? a.count + 1
            #expect(Array(a.prefix(n - 1)) == Array(b.prefix(n - 1)))
        }
    }

    @Test func sameSeedSameRun() throws {
        let a = try UnsupervisedSummarizer(settings: Self.settings(adversarialWeight: 1), seed: 3)
        let b = try UnsupervisedSummarizer(settings: Self.settings(adversarialWeight: 1), seed: 3)
        #expect(try Self.train(a, steps: 3) == Self.train(b, steps: 3))
        let docs = Self.documents(10, seed: 5)
        #expect(a.summarize(docs) == b.summarize(docs))
    }

    @Test func reconstructionGradientReachesTheSummaries() throws {
        // R's loss through the soft-token encoder (distributions @ embedding), checked by finite differences.
        var s = Self.settings(adversarialWeight: 0)
        s.hidden = 8; s.embedding = 6; s.vocabulary = 9
        let config = Seq2SeqConfig(sourceVocabulary: 9, targetVocabulary: 9, embedding: 6, hidden: 8)
        let reconstructor = SummaryReconstructor(model: try Seq2Seq(config, generator: RandomGenerator(seed: 4)))
        let docs = [[4, 5, 6], [7, 8]]
        checkGradients([sample([2, 3, 9], low: -1, high: 1, seed: 2)]) { x in
            reconstructor.loss(summaries: x[0].softmax(axis: -1), documents: docs)
        }
        // The decoder step from embedded inputs.
        let model = try Seq2Seq(config, generator: RandomGenerator(seed: 5))
        let memory = model.encode(Tensor(indices: [4, 5, 6, 7, 8, 0], shape: [2, 3]), lengths: [3, 2])
        checkGradients([sample([2, 6], seed: 3)]) { x in model.step(embedded: x[0], state: model.initialState(memory), memory: memory).logits }
        // Embedding a token and stepping from its embedding agree.
        let tokens = Tensor(indices: [4, 7])
        let a = model.step(tokens: tokens, state: model.initialState(memory), memory: memory).logits
        let b = model.step(embedded: model.targetEmbedding(tokens), state: model.initialState(memory), memory: memory).logits
        expectClose(a.scalars, b.scalars, tol: 1e-6)
    }

    @Test func headlinesAreCutOrFilledToK() {
        #expect(SummaryDiscriminator.fixedLength([5, 6], length: 4, endIndex: 3) == [5, 6, 3, 3])
        #expect(SummaryDiscriminator.fixedLength([5, 6, 7, 8, 9], length: 3, endIndex: 3) == [5, 6, 7])
    }

    @Test func badSettingsThrow() {
        var s = Self.settings(adversarialWeight: 1)
        s.discriminatorWidths = [1, 4]
        #expect(throws: SummarizationError.self) { try UnsupervisedSummarizer(settings: s, seed: 0) }
        var t = Self.settings(adversarialWeight: 1)
        t.forbidden = [3]
        #expect(t.problem != nil)
        var u = Self.settings(adversarialWeight: 1)
        u.temperature = 0
        #expect(u.problem != nil)
        #expect(Self.settings(adversarialWeight: 1).problem == nil)
    }
}
