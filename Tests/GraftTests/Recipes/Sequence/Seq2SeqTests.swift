import Testing
@testable import Graft
@testable import GraftData
@testable import GraftNN
@testable import GraftRecipes

@Suite struct Seq2SeqTests {
    /// Random sequences over tokens 4..<4+symbols (0...3 are pad, unk, bos, eos).
    static func sequences(_ n: Int, symbols: Int, lengths: ClosedRange<Int>, generator: RandomGenerator) -> [[Int]] {
        (0..<n).map { _ in (0..<(lengths.lowerBound + generator.nextInt(below: lengths.count))).map { _ in 4 + generator.nextInt(below: symbols) } }
    }

    static func model(cell: RecurrentKind = .lstm, score: AttentionScore = .general, inputFeeding: Bool = false, layers: Int = 1,
                      vocabulary: Int = 10, seed: UInt64 = 1) throws -> Seq2Seq {
        try Seq2Seq(Seq2SeqConfig(sourceVocabulary: vocabulary, targetVocabulary: vocabulary, embedding: 16, hidden: 24, layers: layers,
                                  cell: cell, score: score, inputFeeding: inputFeeding), generator: RandomGenerator(seed: seed))
    }

    @Test func learnsToReverseToFullGreedyAccuracy() throws {
        let g = RandomGenerator(seed: 5)
        let model = try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 10, targetVocabulary: 10, embedding: 16, hidden: 32),
                                generator: RandomGenerator(seed: 2))
        let optimizer = Adam(model.namedParameters(), learningRate: 0.01)
        var last: Float = .infinity
        for _ in 0..<300 {
            let src = Self.sequences(32, symbols: 6, lengths: 2...5, generator: g)
            last = model.trainStep(Seq2SeqBatch(sources: src, targets: src.map { $0.reversed() }, padIndex: 0, beginIndex: 2, endIndex: 3),
                                   optimizer: optimizer)
        }
        #expect(last.isFinite && last < 0.05, "final loss \(last)")
        let test = Self.sequences(100, symbols: 6, lengths: 2...5, generator: RandomGenerator(seed: 99))
        let batch = Seq2SeqBatch(sources: test, targets: test, padIndex: 0, beginIndex: 2, endIndex: 3)
        let out = model.greedy(batch.source, lengths: batch.sourceLengths, maxLength: 8)
        let correct = zip(out, test).filter { $0 == Array($1.reversed()) }.count
        #expect(correct == 100, "\(correct)/100 reversed exactly")
        let beam = model.beamSearch(batch.source, lengths: batch.sourceLengths, beamWidth: 3, maxLength: 8)
        #expect(zip(beam, test).allSatisfy { $0 == Array($1.reversed()) })
        #expect(model.isTraining, "decoding restores the training mode")
    }

    @Test func beamOfOneIsGreedy() throws {
        let src = Self.sequences(12, symbols: 6, lengths: 1...6, generator: RandomGenerator(seed: 3))
        let batch = Seq2SeqBatch(sources: src, targets: src, padIndex: 0, beginIndex: 2, endIndex: 3)
        for (cell, feeding) in [(RecurrentKind.lstm, false), (.gru, true), (.lstm, true)] {
            let model = try Self.model(cell: cell, inputFeeding: feeding, layers: 2)
            let greedy = model.greedy(batch.source, lengths: batch.sourceLengths, maxLength: 7)
            let beam = model.beamSearch(batch.source, lengths: batch.sourceLengths, beamWidth: 1, maxLength: 7)
            #expect(greedy == beam, "\(cell), input feeding \(feeding)")
            #expect(greedy.allSatisfy { $0.count <= 7 && !$0.contains(3) })
        }
    }

    @Test func lossIgnoresPadding() throws {
        let src: [[Int]] = [[4, 5, 6, 7], [8, 9], [5]], tgt: [[Int]] = [[6, 5], [4, 4, 4, 9], [7]]
        for model in [try Self.model(), try Self.model(cell: .gru, score: .dot, inputFeeding: true)] {
            let batch = Seq2SeqBatch(sources: src, targets: tgt, padIndex: 0, beginIndex: 2, endIndex: 3)
            let clean = model.loss(batch).scalars[0]
            // Junk tokens in every padded position of the sources and the targets.
            var junk = batch
            func fill(_ t: Tensor, _ lengths: [Int]) -> Tensor {
                var v = t.scalars
                let w = t.shape[1]
                for (row, n) in lengths.enumerated() { for j in n..<w { v[row * w + j] = Float(4 + (row + j) % 6) } }
                return Tensor(v, shape: t.shape)
            }
            junk.source = fill(batch.source, batch.sourceLengths)
            junk.targetInput = fill(batch.targetInput, batch.targetLengths)
            junk.targetOutput = fill(batch.targetOutput, batch.targetLengths)
            #expect(junk.source.scalars != batch.source.scalars)
            #expect(model.loss(junk).scalars[0] == clean)
            // Each row alone gives the same per-token losses: the mean over all 2 + 4 + 4... real positions.
            var sum: Float = 0
            for i in 0..<3 {
                let one = Seq2SeqBatch(sources: [src[i]], targets: [tgt[i]], padIndex: 0, beginIndex: 2, endIndex: 3)
                sum += model.loss(one).scalars[0] * Float(tgt[i].count + 1)
            }
            let tokens = Float(tgt.map { $0.count + 1 }.reduce(0, +))
            #expect(abs(sum / tokens - clean) < 1e-5, "\(sum / tokens) vs \(clean)")
        }
    }

    @Test func teacherForcingMatchesStepByStep() throws {
        let src: [[Int]] = [[4, 5, 6, 7, 8], [9, 4]], tgt: [[Int]] = [[6, 5, 7], [4]]
        let batch = Seq2SeqBatch(sources: src, targets: tgt, padIndex: 0, beginIndex: 2, endIndex: 3)
        for (cell, feeding, score) in [(RecurrentKind.lstm, false, AttentionScore.general), (.gru, false, .dot),
                                       (.lstm, true, .dot), (.gru, true, .general)] {
            let model = try Self.model(cell: cell, score: score, inputFeeding: feeding, layers: 2)
            let memory = model.encode(batch.source, lengths: batch.sourceLengths)
            let full = model.logits(memory: memory, targetInput: batch.targetInput)
            var state = model.initialState(memory)
            for t in 0..<batch.targetInput.shape[1] {
                let (logits, next, attention) = model.step(tokens: batch.targetInput.select(axis: 1, index: t), state: state, memory: memory)
                state = next
                let expected = full.select(axis: 1, index: t).scalars
                #expect(zip(logits.scalars, expected).allSatisfy { abs($0 - $1) < 1e-4 }, "\(cell) feeding \(feeding) step \(t)")
                // No attention on the second source's padding.
                #expect(attention.select(axis: 0, index: 1).scalars[2...].allSatisfy { $0 < 1e-6 })
            }
        }
    }

    @Test func samplingIsSeededAndColdSamplingIsGreedy() throws {
        let model = try Self.model()
        let src = Self.sequences(8, symbols: 6, lengths: 2...5, generator: RandomGenerator(seed: 4))
        let batch = Seq2SeqBatch(sources: src, targets: src, padIndex: 0, beginIndex: 2, endIndex: 3)
        let a = model.sample(batch.source, lengths: batch.sourceLengths, maxLength: 6, generator: RandomGenerator(seed: 1))
        let b = model.sample(batch.source, lengths: batch.sourceLengths, maxLength: 6, generator: RandomGenerator(seed: 1))
        #expect(a == b)
        let cold = model.sample(batch.source, lengths: batch.sourceLengths, maxLength: 6, temperature: 1e-4, generator: RandomGenerator(seed: 2))
        #expect(cold == model.greedy(batch.source, lengths: batch.sourceLengths, maxLength: 6))
    }

    @Test func greedyOverTokenListsEqualsOnePaddedBatchWhateverTheBatchSize() throws {
        let model = try Self.model(seed: 4)
        let sources = Self.sequences(7, symbols: 6, lengths: 1...6, generator: RandomGenerator(seed: 5))
        let padded = padBatch(sources, padIndex: model.config.padIndex)
        let whole = model.greedy(padded.tokens, lengths: padded.lengths, maxLength: 5)
        #expect(whole.count == 7)
        for batchSize in [1, 3, 128] { #expect(model.greedy(sources, maxLength: 5, batchSize: batchSize) == whole, "batch size \(batchSize)") }
    }

    @Test func badConfigurationsThrow() {
        #expect(throws: TransferError.self) { try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 0, targetVocabulary: 5)) }
        #expect(throws: TransferError.self) { try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 5, targetVocabulary: 5, layers: 0)) }
        #expect(throws: TransferError.self) { try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 5, targetVocabulary: 3)) }
    }

    @Test func clippingScalesTheGlobalNorm() {
        let a = Tensor([3, 0]), b = Tensor([0, 4])
        a.grad = Tensor([3, 0]); b.grad = Tensor([0, 4])
        let norm = GradientClipping.clipNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.grad!.scalars[0] - 0.6) < 1e-6 && abs(b.grad!.scalars[1] - 0.8) < 1e-6)
    }
}
