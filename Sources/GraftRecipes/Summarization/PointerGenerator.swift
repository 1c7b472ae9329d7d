import Graft
import GraftNN

/// The pointer-generator output of See et al. (2017, "Get to the point", eq. 8–9), which Wang
/// and Lee (2018) use for their generator: a decoder step either writes a word of the vocabulary
/// or copies a source token through its attention weights,
///
///     P(w) = p_gen P_vocab(w) + (1 − p_gen) Σ_i a_i s_i(w),   p_gen = σ(w_g · h̃ + b_g),
///
/// with P_vocab = softmax(logits), a the attention over the S source positions, h̃ the
/// attentional hidden state and s_i the i-th source token as a distribution over the vocabulary
/// (one-hot for token sources; the generator's straight-through summaries for the reconstructor,
/// so that the copy term carries the gradient back to the summary words).
public enum PointerGenerator {
    /// log P [B, V] for one step (logits [B, V], attention [B, S], gate logits [B, 1]) or
    /// [B, T, V] for T steps (logits [B, T, V], attention [B, T, S], gate logits [B, T, 1]),
    /// from `sources` [B, S, V]; 10⁻⁹ is added inside the log so words that are neither in the
    /// vocabulary's softmax nor in the source stay finite.
    public static func logProbabilities(logits: Tensor, attention: Tensor, sources: Tensor, gate: Tensor) -> Tensor {
        precondition(sources.rank == 3 && logits.shape.last == sources.shape[2] && attention.shape.last == sources.shape[1],
                     "PointerGenerator needs logits [..., V], attention [..., S] and sources [B, S, V], "
                     + "got \(logits.shape), \(attention.shape), \(sources.shape)")
        let copied = attention.rank == 2
            ? matmul(attention.unsqueeze(axis: 1), sources).squeeze(axis: 1)
            : matmul(attention, sources)
        let g = gate.sigmoid()
        return (g * logits.softmax(axis: -1) + (1 - g) * copied + 1e-9).log()
    }

    /// Teacher-forced log-probabilities [B, T, V] of `model`'s decoder over `memory` for decoder
    /// inputs `targetInput` [B, T]: the pointer-generator mixture over `sources` [B, S, V] when
    /// `gate` (h̃ → 1) is given, log-softmax of the vocabulary logits otherwise.
    public static func teacherForced(_ model: Seq2Seq, gate: Linear?, memory: EncoderMemory, sources: Tensor, targetInput: Tensor) -> Tensor {
        guard let gate else { return model.logits(memory: memory, targetInput: targetInput).logSoftmax(axis: -1) }
        var state = model.initialState(memory)
        var logits: [Tensor] = [], attention: [Tensor] = [], hidden: [Tensor] = []
        if model.config.inputFeeding {
            for t in 0..<targetInput.shape[1] {
                let (l, next, a) = model.step(tokens: targetInput.select(axis: 1, index: t), state: state, memory: memory)
                state = next
                logits.append(l); attention.append(a); hidden.append(next.attentional)
            }
            return logProbabilities(logits: Tensor.stack(logits, axis: 1), attention: Tensor.stack(attention, axis: 1),
                                    sources: sources, gate: gate(Tensor.stack(hidden, axis: 1)))
        }
        let x = model.dropout(model.targetEmbedding(targetInput))
        let st = memory.finalState
        let top: Tensor
        if let lstm = model.decoderLSTM {
            top = lstm(x, state: (Tensor.stack(st.h, axis: 0), Tensor.stack(st.c, axis: 0))).output
        } else {
            top = model.decoderGRU!(x, h: Tensor.stack(st.h, axis: 0)).output
        }
        let (attentional, weights) = model.attend(top, memory: memory)
        return logProbabilities(logits: model.output(model.dropout(attentional)), attention: weights, sources: sources, gate: gate(attentional))
    }

    /// A gate h̃ → p_gen logit for `model`'s hidden width, its bias starting at `bias` (0: p_gen
    /// starts near one half).
    public static func gate(for model: Seq2Seq, bias: Float = 0, generator: RandomGenerator) -> Linear {
        let g = Linear(model.config.hidden, 1, generator: generator)
        if let b = g.bias {
            b.assign(Tensor.full(b.shape, bias))
        }
        return g
    }
}
