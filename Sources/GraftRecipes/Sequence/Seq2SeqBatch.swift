import Graft
import GraftData

/// A padded batch of source-target pairs for teacher forcing: sources [B, S], decoder inputs
/// `<bos> y₁ … y_n` and outputs `y₁ … y_n <eos>` [B, T], each with its lengths.
public struct Seq2SeqBatch {
    /// Source tokens [B, S], right-padded.
    public var source: Tensor
    /// Real tokens per source row.
    public var sourceLengths: [Int]
    /// Decoder inputs [B, T]: the begin token, then the target.
    public var targetInput: Tensor
    /// What each input position should predict [B, T]: the target, then the end token.
    public var targetOutput: Tensor
    /// Real positions per target row (target length + 1).
    public var targetLengths: [Int]

    /// A batch from its tensors.
    public init(source: Tensor, sourceLengths: [Int], targetInput: Tensor, targetOutput: Tensor, targetLengths: [Int]) {
        precondition(source.rank == 2 && targetInput.rank == 2 && targetInput.shape == targetOutput.shape
                     && source.shape[0] == targetInput.shape[0] && sourceLengths.count == source.shape[0]
                     && targetLengths.count == source.shape[0],
                     "Seq2SeqBatch: source \(source.shape), targets \(targetInput.shape)/\(targetOutput.shape) and lengths must agree on B")
        self.source = source; self.sourceLengths = sourceLengths
        self.targetInput = targetInput; self.targetOutput = targetOutput; self.targetLengths = targetLengths
    }

    /// Pads token sequences (without begin or end tokens) into a batch with `padBatch`.
    public init(sources: [[Int]], targets: [[Int]], padIndex: Int, beginIndex: Int, endIndex: Int) {
        precondition(sources.count == targets.count, "Seq2SeqBatch: \(sources.count) sources for \(targets.count) targets")
        let s = padBatch(sources, padIndex: padIndex)
        let input = padBatch(targets.map { [beginIndex] + $0 }, padIndex: padIndex)
        let output = padBatch(targets.map { $0 + [endIndex] }, padIndex: padIndex)
        self.init(source: s.tokens, sourceLengths: s.lengths, targetInput: input.tokens, targetOutput: output.tokens, targetLengths: output.lengths)
    }

    /// Pads token sequences with `vocabulary`'s pad, begin and end indices.
    public init(sources: [[Int]], targets: [[Int]], vocabulary: Vocabulary) {
        self.init(sources: sources, targets: targets, padIndex: vocabulary.padIndex, beginIndex: vocabulary.beginIndex, endIndex: vocabulary.endIndex)
    }

    /// The batch size B.
    public var count: Int { sourceLengths.count }

    /// `targetOutput` with `padIndex` written at every position past a row's length, so that a
    /// cross-entropy ignoring `padIndex` counts exactly the real target positions.
    public func lossTargets(padIndex: Int) -> Tensor {
        let t = targetOutput.shape[1]
        var values = targetOutput.scalars
        for (row, n) in targetLengths.enumerated() where n < t { for j in n..<t { values[row * t + j] = Float(padIndex) } }
        return Tensor(values, shape: targetOutput.shape)
    }
}
