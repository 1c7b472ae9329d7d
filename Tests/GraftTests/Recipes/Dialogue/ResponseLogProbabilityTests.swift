import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct ResponseLogProbabilityTests {
    static func model() throws -> Seq2Seq {
        try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 7, targetVocabulary: 7, embedding: 3, hidden: 4), generator: RandomGenerator(seed: 3))
    }

    /// Σ_t log p(y_t | y_<t, x) for one query, decoding step by step with `step` and summing by hand.
    static func handSum(_ model: Seq2Seq, source: [Int], response: [Int]) -> Double {
        noGrad {
            let memory = model.encode(Tensor(indices: source, shape: [1, source.count]), lengths: [source.count])
            var state = model.initialState(memory)
            var previous = model.config.beginIndex, total = 0.0
            for token in response + [model.config.endIndex] {
                let (logits, next, _) = model.step(tokens: Tensor(indices: [previous]), state: state, memory: memory)
                let z = logits.scalars.map(Double.init)
                let m = z.max()!
                let logNormaliser = m + log(z.reduce(0) { $0 + exp($1 - m) })
                total += z[token] - logNormaliser
                state = next
                previous = token
            }
            return total
        }
    }

    @Test func rowSumsEqualTheHandSummedLogProbabilityAndPadsAreZero() throws {
        let model = try Self.model()
        let sources = [[4, 5, 6], [6, 4]], responses = [[4, 5, 4, 6], [5]]
        let padded = [[4, 5, 6], [6, 4, 0]]
        let memory = model.encode(Tensor(padded.flatMap { $0.map(Float.init) }, shape: [2, 3]), lengths: [3, 2])
        let logProbs = model.responseLogProbabilities(memory: memory, responses: responses)
        #expect(logProbs.shape == [2, 5])
        let values = logProbs.scalars
        // Row 1 has one token and the end token: its three padded positions are exactly zero.
        #expect(Array(values[7..<10]) == [0, 0, 0])
        #expect(values[0..<5].allSatisfy { $0 < 0 } && values[5..<7].allSatisfy { $0 < 0 })
        for row in 0..<2 {
            let sum = Double(values[(row * 5)..<(row * 5 + 5)].reduce(0, +))
            let hand = Self.handSum(model, source: sources[row], response: responses[row])
            #expect(abs(sum - hand) < 1e-4, "row \(row): \(sum) vs \(hand)")
        }
    }

    @Test func padsCarryNoGradient() throws {
        let model = try Self.model()
        let memory = model.encode(Tensor(indices: [4, 5, 5, 6], shape: [2, 2]), lengths: [2, 2])
        // The short row's total and gradient are those it has alone.
        let both = model.responseLogProbabilities(memory: memory, responses: [[4, 4, 4, 4, 4], [6]])
        let shortTotal = both.select(axis: 0, index: 1).sum()
        shortTotal.backward()
        let batchedGrad = model.output.weight.grad!.scalars
        model.zeroGrad()
        let alone = model.responseLogProbabilities(memory: model.encode(Tensor(indices: [5, 6], shape: [1, 2]), lengths: [2]), responses: [[6]]).sum()
        alone.backward()
        let aloneGrad = model.output.weight.grad!.scalars
        #expect(abs(shortTotal.item - alone.item) < 1e-5)
        #expect(zip(batchedGrad, aloneGrad).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}
