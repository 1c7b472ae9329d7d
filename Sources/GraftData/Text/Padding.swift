import Graft

/// Where `padBatch` puts the padding of a short sequence.
public enum PaddingSide: String, Sendable, CaseIterable {
    /// After the tokens (tokens start at position 0).
    case right
    /// Before the tokens (tokens end at the last position), as decoders generating text want.
    case left
}

/// Stacks token sequences into one [B, T] batch, T being the longest (truncated) length.
///
/// - Parameters:
///   - sequences: B sequences of token indices (whole numbers below 2^24, exact in Float32).
///   - padIndex: the index written into the padding positions.
///   - maxLength: when given, longer sequences keep only their first `maxLength` tokens.
///   - side: where the padding goes.
/// - Returns: `tokens` [B, T] (the indices as Float32), `lengths` (each sequence's length after
///   truncation) and `mask` [B, T] (1 at real tokens, 0 at padding). An empty list gives [0, 0].
public func padBatch(_ sequences: [[Int]], padIndex: Int, maxLength: Int? = nil, side: PaddingSide = .right)
    -> (tokens: Tensor, lengths: [Int], mask: Tensor) {
    precondition(maxLength.map { $0 >= 0 } ?? true, "padBatch: maxLength must not be negative, got \(maxLength!)")
    let lengths = sequences.map { min($0.count, maxLength ?? Int.max) }
    let width = lengths.max() ?? 0
    var tokens = [Float](repeating: Float(padIndex), count: sequences.count * width)
    var mask = [Float](repeating: 0, count: sequences.count * width)
    for (b, sequence) in sequences.enumerated() {
        let n = lengths[b]
        let start = b * width + (side == .left ? width - n : 0)
        for t in 0..<n {
            tokens[start + t] = Float(sequence[t])
            mask[start + t] = 1
        }
    }
    return (Tensor(tokens, shape: [sequences.count, width]), lengths, Tensor(mask, shape: [sequences.count, width]))
}
