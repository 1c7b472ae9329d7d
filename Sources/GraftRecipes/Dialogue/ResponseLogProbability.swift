import Graft
import GraftData

extension Seq2Seq {
    /// The log-probabilities log p(y_t | y_<t, x) [B, T] of `responses` (token lists without begin
    /// or end tokens, one per encoded query of `memory`), teacher-forced through
    /// `logits(memory:targetInput:)` with gradients, for the REINFORCE surrogate of a chatbot's
    /// sampled answers (Li et al. 2016, "Deep reinforcement learning for dialogue generation";
    /// Li et al. 2017): position t < |y_b| holds token t's log-probability, position |y_b| that of
    /// the end token, and every later position (padding) exactly 0, so pads add nothing to a row's
    /// sum log p(y | x) = Σ_t log p(y_t | y_<t, x) nor to its gradient. T = the longest response + 1.
    public func responseLogProbabilities(memory: EncoderMemory, responses: [[Int]]) -> Tensor {
        precondition(responses.count == memory.batch, "Seq2Seq.responseLogProbabilities: \(responses.count) responses for \(memory.batch) queries")
        let input = padBatch(responses.map { [config.beginIndex] + $0 }, padIndex: config.padIndex)
        let output = padBatch(responses.map { $0 + [config.endIndex] }, padIndex: config.padIndex)
        let (b, t) = (responses.count, output.tokens.shape[1])
        var mask = [Float](repeating: 0, count: b * t)
        for (row, n) in output.lengths.enumerated() { for j in 0..<n { mask[row * t + j] = 1 } }
        let logProbs = logits(memory: memory, targetInput: input.tokens).logSoftmax(axis: 2)
        let picked = logProbs.gather(axis: 2, index: output.tokens.reshape([b, t, 1])).reshape([b, t])
        return picked * Tensor(mask, shape: [b, t])
    }
}
