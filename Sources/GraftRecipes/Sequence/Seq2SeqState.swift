import Graft

/// The state of a stack of recurrent cells: one h [B, H] per layer, and for an LSTM one c per layer
/// (empty for a GRU).
public struct RecurrentState {
    /// Hidden states, bottom layer first.
    public var h: [Tensor]
    /// LSTM cell states, bottom layer first; empty for a GRU.
    public var c: [Tensor]

    /// A state from its parts.
    public init(h: [Tensor], c: [Tensor]) { self.h = h; self.c = c }

    /// The rows `rows` of every tensor (to expand a batch for beam search or reorder beams).
    public func select(rows: [Int]) -> RecurrentState {
        let index = Tensor(indices: rows)
        return RecurrentState(h: h.map { $0.indexSelect(axis: 0, indices: index) }, c: c.map { $0.indexSelect(axis: 0, indices: index) })
    }
}

/// What the encoder leaves for the decoder: its outputs (attention values), the keys attention
/// scores against, the padding bias and its final state.
public struct EncoderMemory {
    /// Encoder outputs h̄_s [B, S, H] (zero past each source's length).
    public var outputs: Tensor
    /// The keys: W_a h̄_s for the general score, h̄_s for dot [B, S, H].
    public var keys: Tensor
    /// Additive score bias [B, 1, S]: 0 at real source positions, -1e9 at padding.
    public var bias: Tensor
    /// The length of each source.
    public var lengths: [Int]
    /// The encoder's state after each source's last real token.
    public var finalState: RecurrentState

    /// The batch size B.
    public var batch: Int { outputs.shape[0] }

    /// A memory from its parts.
    public init(outputs: Tensor, keys: Tensor, bias: Tensor, lengths: [Int], finalState: RecurrentState) {
        self.outputs = outputs; self.keys = keys; self.bias = bias; self.lengths = lengths; self.finalState = finalState
    }

    /// The memory of sources `rows` (repeats allowed, e.g. each source K times for a beam of K).
    public func select(rows: [Int]) -> EncoderMemory {
        let index = Tensor(indices: rows)
        return EncoderMemory(outputs: outputs.indexSelect(axis: 0, indices: index), keys: keys.indexSelect(axis: 0, indices: index),
                             bias: bias.indexSelect(axis: 0, indices: index), lengths: rows.map { lengths[$0] },
                             finalState: finalState.select(rows: rows))
    }
}

/// The decoder's state between steps: the recurrent state and the last attentional state h̃
/// (fed back as input with input feeding).
public struct DecoderState {
    /// The decoder cells' state.
    public var recurrent: RecurrentState
    /// h̃_{t-1} [B, H] (zeros before the first step).
    public var attentional: Tensor

    /// A state from its parts.
    public init(recurrent: RecurrentState, attentional: Tensor) { self.recurrent = recurrent; self.attentional = attentional }

    /// The rows `rows` (for beam search).
    public func select(rows: [Int]) -> DecoderState {
        DecoderState(recurrent: recurrent.select(rows: rows), attentional: attentional.indexSelect(axis: 0, indices: Tensor(indices: rows)))
    }
}
