import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct TokenGeneratorTests {
    func tokens(_ rows: [[Int]]) -> Tensor { Tensor(rows.flatMap { $0.map(Float.init) }, shape: [rows.count, rows[0].count]) }

    @Test func teacherForcingMatchesStepping() {
        let g = TokenGenerator(vocabulary: 7, embedding: 4, hidden: 5, startToken: 0, generator: RandomGenerator(seed: 3))
        let y = tokens([[3, 1, 6, 2], [5, 5, 0, 4]])
        let teacher = g.logits(y)
        #expect(teacher.shape == [2, 4, 7])
        var state = g.initialState(batch: 2)
        var input = Tensor.full([2], 0)
        for t in 0..<4 {
            let (logits, next) = g.step(input, state: state)
            expectClose(logits.scalars, teacher.select(axis: 1, index: t).scalars, tol: 1e-5)
            state = next
            input = y.select(axis: 1, index: t)
        }
        // The prefix states are the stepped states: state t predicts token t.
        let states = g.prefixStates(y)
        #expect(states.count == 4)
        expectClose(g.output(states[2].h).scalars, teacher.select(axis: 1, index: 2).scalars, tol: 1e-5)
    }

    @Test func nllIsTheMeanNegativeLogProbabilityAndItsGradientChecks() {
        let g = TokenGenerator(vocabulary: 5, embedding: 3, hidden: 4, generator: RandomGenerator(seed: 8))
        let y = tokens([[1, 4, 2], [3, 3, 0]])
        let logp = g.logProbabilities(of: y)
        let manual = g.logits(y).logSoftmax(axis: -1).scalars
        for b in 0..<2 {
            for t in 0..<3 {
                let token = Int(y.scalars[b * 3 + t])
                #expect(abs(logp.scalars[b * 3 + t] - manual[(b * 3 + t) * 5 + token]) < 1e-6)
            }
        }
        #expect(abs(g.nll(y).item + logp.scalars.reduce(0, +) / 6) < 1e-5)
        // Finite differences through the embedding, the cell and the output layer.
        checkGradients([g.output.weight, g.cell.weightHH], eps: 1e-2, atol: 3e-3) { _ in g.nll(y) }
    }

    @Test func samplingIsSeededAndTheOracleIsFrozenAndDeterministic() {
        let a = TokenGenerator.oracle(vocabulary: 20, embedding: 6, hidden: 6, seed: 4)
        let b = TokenGenerator.oracle(vocabulary: 20, embedding: 6, hidden: 6, seed: 4)
        #expect(a.embedding.weight.scalars == b.embedding.weight.scalars)
        #expect(a.parameters().allSatisfy { !$0.requiresGrad })
        // N(0, 1) weights: the standard deviation of all parameters is near 1.
        let all = a.parameters().flatMap(\.scalars)
        let mean = all.reduce(0, +) / Float(all.count)
        let sd = (all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(all.count)).squareRoot()
        #expect(abs(sd - 1) < 0.1)
        let s1 = a.sample(count: 6, length: 9, generator: RandomGenerator(seed: 1))
        let s2 = b.sample(count: 6, length: 9, generator: RandomGenerator(seed: 1))
        #expect(s1.shape == [6, 9] && s1.scalars == s2.scalars)
        #expect(s1.scalars.allSatisfy { $0 >= 0 && $0 < 20 && $0 == $0.rounded() })
    }

    @Test func mleTrainingLowersTheOracleNLLOfSamples() {
        // A generator trained on an oracle's samples gets closer to it (NLL-oracle falls).
        let oracle = TokenGenerator.oracle(vocabulary: 12, embedding: 8, hidden: 8, seed: 2)
        let data = oracle.sample(count: 256, length: 8, generator: RandomGenerator(seed: 5))
        let g = TokenGenerator(vocabulary: 12, embedding: 8, hidden: 16, generator: RandomGenerator(seed: 6))
        let before = oracle.nll(g.sample(count: 256, length: 8, generator: RandomGenerator(seed: 7))).item
        let opt = Adam(g.namedParameters(), learningRate: 0.01)
        for _ in 0..<150 {
            opt.zeroGrad()
            let loss = g.nll(data)
            loss.backward()
            opt.step()
        }
        let after = oracle.nll(g.sample(count: 256, length: 8, generator: RandomGenerator(seed: 7))).item
        #expect(after < before - 0.3, "NLL-oracle \(before) -> \(after)")
        // The data's own NLL under the oracle is the floor MLE approaches.
        #expect(after > oracle.nll(data).item - 0.3)
    }

    @Test func followMovesTowardTheOtherGenerator() {
        let a = TokenGenerator(vocabulary: 4, embedding: 2, hidden: 3, generator: RandomGenerator(seed: 1))
        let b = TokenGenerator(vocabulary: 4, embedding: 2, hidden: 3, generator: RandomGenerator(seed: 2))
        let before = a.output.bias!.scalars, target = b.output.bias!.scalars
        a.follow(b, rate: 0.8)
        expectClose(a.output.bias!.scalars, zip(before, target).map { 0.8 * $0 + 0.2 * $1 }, tol: 1e-6)
        a.follow(b, rate: 0)
        #expect(a.embedding.weight.scalars == b.embedding.weight.scalars)
    }
}
