import Foundation
import Graft
import GraftData

/// Decoding a `Seq2Seq` model token by token with `step`: greedy, sampling with a temperature and
/// beam search. Each runs without gradients and in evaluation mode (no dropout), restoring the
/// model's mode after, stops a row at the end token or after `maxLength` tokens and returns the
/// tokens without the begin and end tokens.
extension Seq2Seq {
    /// Runs `body` in evaluation mode without gradients, then restores the training mode.
    func decoding<T>(_ body: () -> T) -> T {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return noGrad(body)
    }

    /// Greedy decoding: the most probable token at each step (the lowest index among ties).
    public func greedy(_ source: Tensor, lengths: [Int], maxLength: Int) -> [[Int]] {
        decoding {
            let memory = encode(source, lengths: lengths)
            return run(memory: memory, maxLength: maxLength) { logProbs, v in
                logProbs.reshape([logProbs.count / v, v]).argmax(axis: 1).scalars.map { Int($0) }
            }
        }
    }

    /// Greedy decoding of token lists of any lengths, padded with the model's pad index in
    /// batches of `batchSize` (128 by default), in input order.
    public func greedy(_ sources: [[Int]], maxLength: Int, batchSize: Int = 128) -> [[Int]] {
        precondition(batchSize > 0, "Seq2Seq.greedy needs a positive batch size, got \(batchSize)")
        return stride(from: 0, to: sources.count, by: batchSize).flatMap { start in
            let padded = padBatch(Array(sources[start..<min(start + batchSize, sources.count)]), padIndex: config.padIndex)
            return greedy(padded.tokens, lengths: padded.lengths, maxLength: maxLength)
        }
    }

    /// Ancestral sampling from softmax(logits / temperature) (temperature > 0; 1 samples the
    /// model's own distribution, lower values sharpen it towards greedy), drawing from `generator`.
    public func sample(_ source: Tensor, lengths: [Int], maxLength: Int, temperature: Float = 1,
                       generator: RandomGenerator) -> [[Int]] {
        precondition(temperature > 0, "Seq2Seq.sample needs a positive temperature, got \(temperature)")
        return decoding {
            let memory = encode(source, lengths: lengths)
            return run(memory: memory, maxLength: maxLength, scale: 1 / temperature) { logProbs, v in
                let p = logProbs.scalars
                return (0..<(p.count / v)).map { row in
                    let u = Double(generator.nextFloat())
                    var cumulative = 0.0
                    for j in 0..<v {
                        cumulative += exp(Double(p[row * v + j]))
                        if u < cumulative { return j }
                    }
                    return v - 1
                }
            }
        }
    }

    /// The shared loop of greedy decoding and sampling: `choose` picks one token per row from the
    /// log-probabilities [B, V] of the (scaled) logits.
    func run(memory: EncoderMemory, maxLength: Int, scale: Float = 1, choose: (Tensor, Int) -> [Int]) -> [[Int]] {
        let b = memory.batch, v = config.targetVocabulary
        var state = initialState(memory)
        var tokens = [Int](repeating: config.beginIndex, count: b)
        var out = [[Int]](repeating: [], count: b)
        var done = [Bool](repeating: false, count: b)
        for _ in 0..<max(0, maxLength) {
            let (logits, next, _) = step(tokens: Tensor(indices: tokens), state: state, memory: memory)
            state = next
            tokens = choose((scale == 1 ? logits : logits * scale).logSoftmax(axis: 1), v)
            for row in 0..<b where !done[row] {
                if tokens[row] == config.endIndex { done[row] = true } else { out[row].append(tokens[row]) }
            }
            if !done.contains(false) { break }
        }
        return out
    }

    /// Beam search with `beamWidth` hypotheses per source. Each step extends every live hypothesis
    /// by every token, ranks the candidates by total log-probability (ties: earlier hypothesis, then
    /// lower token index), moves those ending in the end token to the finished list and keeps the
    /// best `beamWidth` others; a source is done when it has `beamWidth` finished hypotheses (or at
    /// `maxLength`, when its live ones count as finished). The answer is the finished hypothesis
    /// with the best length-normalised score log p(y | x) / |y|^α (|y| counting the end token;
    /// α = `lengthPenalty`, 0 for the raw log-probability). With a beam of 1 this is greedy decoding.
    public func beamSearch(_ source: Tensor, lengths: [Int], beamWidth: Int, maxLength: Int, lengthPenalty: Double = 1) -> [[Int]] {
        precondition(beamWidth >= 1, "Seq2Seq.beamSearch needs a beam of at least 1, got \(beamWidth)")
        return decoding {
            let b = source.shape[0], k = beamWidth, v = config.targetVocabulary
            let memory = encode(source, lengths: lengths).select(rows: (0..<b).flatMap { [Int](repeating: $0, count: k) })
            var state = initialState(memory)
            // Live hypotheses per source; only the first starts alive (-inf scores mark empty slots).
            var alive = (0..<b).map { _ in (0..<k).map { Hypothesis(tokens: [], score: $0 == 0 ? 0 : -.infinity) } }
            var finished = [[Hypothesis]](repeating: [], count: b)
            var done = [Bool](repeating: false, count: b)
            func normalised(_ h: Hypothesis, ended: Bool) -> Double {
                h.score / pow(Double(max(1, h.tokens.count + (ended ? 1 : 0))), lengthPenalty)
            }
            for _ in 0..<max(0, maxLength) {
                let last = alive.flatMap { $0.map { $0.tokens.last ?? config.beginIndex } }
                let (logits, next, _) = step(tokens: Tensor(indices: last), state: state, memory: memory)
                let logProbs = logits.logSoftmax(axis: 1).scalars
                var parents: [Int] = []
                parents.reserveCapacity(b * k)
                for item in 0..<b {
                    if done[item] { parents += (0..<k).map { item * k + $0 }; continue }
                    var candidates: [(score: Double, beam: Int, token: Int)] = []
                    candidates.reserveCapacity(k * v)
                    for beam in 0..<k where alive[item][beam].score > -.infinity {
                        let base = alive[item][beam].score, row = (item * k + beam) * v
                        for token in 0..<v { candidates.append((base + Double(logProbs[row + token]), beam, token)) }
                    }
                    candidates.sort { ($0.score, -$0.beam, -$0.token) > ($1.score, -$1.beam, -$1.token) }
                    var nextAlive: [Hypothesis] = [], nextParents: [Int] = []
                    for c in candidates {
                        let h = Hypothesis(tokens: alive[item][c.beam].tokens + (c.token == config.endIndex ? [] : [c.token]), score: c.score)
                        if c.token == config.endIndex {
                            finished[item].append(Hypothesis(tokens: h.tokens, score: h.score, normalised: normalised(h, ended: true)))
                        } else {
                            nextAlive.append(h)
                            nextParents.append(item * k + c.beam)
                            if nextAlive.count == k { break }
                        }
                    }
                    while nextAlive.count < k { nextAlive.append(Hypothesis(tokens: [], score: -.infinity)); nextParents.append(item * k) }
                    alive[item] = nextAlive
                    parents += nextParents
                    if finished[item].count >= k { done[item] = true }
                }
                if !done.contains(false) { break }
                state = next.select(rows: parents)
            }
            return (0..<b).map { item in
                var pool = finished[item]
                if !done[item] {
                    pool += alive[item].filter { $0.score > -.infinity }
                        .map { Hypothesis(tokens: $0.tokens, score: $0.score, normalised: normalised($0, ended: false)) }
                }
                var best: Hypothesis? = nil
                for h in pool where best == nil || h.normalised > best!.normalised { best = h }
                return best?.tokens ?? []
            }
        }
    }
}

/// A partial or finished beam-search hypothesis.
struct Hypothesis {
    /// Tokens so far (without begin or end tokens).
    var tokens: [Int]
    /// Total log-probability.
    var score: Double
    /// The length-normalised score (finished hypotheses only).
    var normalised: Double = -.infinity
}
