import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

/// The pointer-generator mixture: its two limits, its gradient, and a copy task whose answer is
/// known (every target token is a source token the decoder never saw as a target).
@Suite struct PointerGeneratorTests {
    @Test func theGateMixesTheVocabularyAndTheCopiedSource() {
        // Two rows, vocabulary 5, two source positions holding tokens 3 and 1 (row 0) and 2, 2 (row 1).
        let logits = Tensor([0.5, -1, 2, 0, 1, 1, 1, 1, 1, 1], shape: [2, 5])
        let attention = Tensor([0.25, 0.75, 0.5, 0.5], shape: [2, 2])
        let sources = Tensor.oneHot(Tensor(indices: [3, 1, 2, 2], shape: [2, 2]), classes: 5)
        // p_gen = σ(−30) ≈ 0: only the copy term, a_i summed over the positions holding w.
        let copied = PointerGenerator.logProbabilities(logits: logits, attention: attention, sources: sources,
                                                       gate: Tensor([-30, -30], shape: [2, 1])).exp()
        expectClose(copied.scalars, [0, 0.75, 0, 0.25, 0, 0, 0, 1, 0, 0], tol: 1e-6)
        // p_gen = σ(30) ≈ 1: the vocabulary softmax.
        let written = PointerGenerator.logProbabilities(logits: logits, attention: attention, sources: sources,
                                                        gate: Tensor([30, 30], shape: [2, 1])).exp()
        expectClose(written.scalars, logits.softmax(axis: -1).scalars, tol: 1e-5)
        // p_gen = 1/2: the mean of both, summing to one.
        let half = PointerGenerator.logProbabilities(logits: logits, attention: attention, sources: sources,
                                                     gate: Tensor([0, 0], shape: [2, 1])).exp()
        expectClose(half.scalars, zip(copied.scalars, written.scalars).map { ($0 + $1) / 2 }, tol: 1e-5)
        #expect(abs(half.scalars.prefix(5).reduce(0, +) - 1) < 1e-5)
    }

    @Test func gradientsMatchFiniteDifferences() {
        // logits, attention scores, soft sources and gate logits, for one step and for T = 2 steps.
        checkGradients([sample([2, 5], seed: 1), sample([2, 3], seed: 2), sample([2, 3, 5], seed: 3), sample([2, 1], seed: 4)]) { x in
            PointerGenerator.logProbabilities(logits: x[0], attention: x[1].softmax(axis: -1), sources: x[2].softmax(axis: -1), gate: x[3])
        }
        checkGradients([sample([2, 2, 5], seed: 5), sample([2, 2, 3], seed: 6), sample([2, 3, 5], seed: 7), sample([2, 2, 1], seed: 8)]) { x in
            PointerGenerator.logProbabilities(logits: x[0], attention: x[1].softmax(axis: -1), sources: x[2].softmax(axis: -1), gate: x[3])
        }
    }

    @Test func teacherForcingAgreesWithStepByStepDecoding() throws {
        // The batched teacher-forced mixture equals the one the decoder computes one step at a time.
        let config = Seq2SeqConfig(sourceVocabulary: 12, targetVocabulary: 12, embedding: 6, hidden: 8)
        let random = RandomGenerator(seed: 3)
        let model = try Seq2Seq(config, generator: random)
        let gate = PointerGenerator.gate(for: model, generator: random)
        let source = Tensor(indices: [4, 5, 6, 7, 8, 0], shape: [2, 3])
        let sources = Tensor.oneHot(source, classes: 12)
        let memory = model.encode(source, lengths: [3, 2])
        let input = Tensor(indices: [2, 9, 10, 2, 11, 4], shape: [2, 3])
        let batched = PointerGenerator.teacherForced(model, gate: gate, memory: memory, sources: sources, targetInput: input)
        var state = model.initialState(memory)
        var steps: [Tensor] = []
        for t in 0..<3 {
            let (logits, next, attention) = model.step(tokens: input.select(axis: 1, index: t), state: state, memory: memory)
            state = next
            steps.append(PointerGenerator.logProbabilities(logits: logits, attention: attention, sources: sources, gate: gate(next.attentional)))
        }
        expectClose(batched.scalars, Tensor.stack(steps, axis: 1).scalars, tol: 1e-5)
    }

    /// Copy the source's second token: sources are three tokens of 4..<40, targets one token. Training
    /// sees only tokens 4..<22 as answers; the test asks for tokens 22..<40. A decoder that writes from
    /// its vocabulary alone has never written those, so it cannot answer; the pointer can.
    @Test func thePointerCopiesTokensNeverSeenAsTargets() throws {
        func task(_ count: Int, answers: Range<Int>, seed: UInt64) -> (sources: [[Int]], targets: [[Int]]) {
            let r = RandomGenerator(seed: seed)
            let rows = (0..<count).map { _ in
                [4 + r.nextInt(below: 36), answers.lowerBound + r.nextInt(below: answers.count), 4 + r.nextInt(below: 36)]
            }
            return (rows, rows.map { [$0[1]] })
        }
        func accuracy(copy: Bool) throws -> Double {
            let config = Seq2SeqConfig(sourceVocabulary: 40, targetVocabulary: 40, embedding: 16, hidden: 32)
            let random = RandomGenerator(seed: 11)
            let model = try Seq2Seq(config, generator: random)
            let gate = copy ? PointerGenerator.gate(for: model, generator: random) : nil
            let teacher = SummaryReconstructor(model: model, copyGate: gate)
            let parameters = model.namedParameters() + (gate?.namedParameters() ?? [])
            let optimizer = Adam(parameters, learningRate: 1e-2)
            for step in 0..<150 {
                let batch = task(32, answers: 4..<22, seed: 100 + UInt64(step))
                let loss = teacher.loss(summaries: Tensor.oneHot(Tensor(indices: batch.sources.flatMap { $0 }, shape: [32, 3]), classes: 40),
                                        documents: batch.targets)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
            }
            let test = task(200, answers: 22..<40, seed: 7)
            let decoder = SummaryGenerator(model: model, length: 1, forbidden: [0, 1, 2], copyGate: gate)
            let written = decoder.greedy(Tensor(indices: test.sources.flatMap { $0 }, shape: [200, 3]), lengths: [Int](repeating: 3, count: 200))
            return Double(zip(written, test.targets).filter { $0 == $1 }.count) / 200
        }
        let withCopy = try accuracy(copy: true), without = try accuracy(copy: false)
        #expect(withCopy > 0.8, "pointer-generator accuracy on unseen answers \(withCopy)")
        #expect(without < 0.1, "vocabulary-only accuracy on unseen answers \(without)")
    }
}
