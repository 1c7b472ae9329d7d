import Graft
import GraftNN

/// The generator of Wang and Lee (2018, section 2.1): a seq2seq model that reads a document and
/// writes a summary of exactly K tokens. For training, its output passes the discrete bottleneck
/// as straight-through Gumbel-softmax samples (Jang et al. 2017, section 2.2):
///
///     s_t = softmax((l_t + b + g_t) / τ),  y_t = onehot(argmax s_t) − sg(s_t) + s_t,
///
/// with l_t the decoder's logits (with a copy gate, its pointer-generator log-probabilities over
/// the document's tokens, `PointerGenerator`), b = −10⁹ on forbidden tokens (0 elsewhere), g_t Gumbel noise and
/// sg the stop-gradient: y_t is the one-hot word forward and carries ∂s_t backward. The next
/// step reads y_t's expected embedding y_t E (exactly the word's embedding forward), so the whole
/// summary is differentiable. `greedy` writes the most probable word at each step instead.
public struct SummaryGenerator {
    /// The document → summary model (source and target vocabularies are the shared one).
    public let model: Seq2Seq
    /// K.
    public let length: Int
    /// Tokens never emitted.
    public let forbidden: [Int]
    /// The end token.
    public let endIndex: Int
    /// The pointer-generator gate (`PointerGenerator`): with it each step may copy a document
    /// token through its attention; without it G writes from the vocabulary alone.
    public let copyGate: Linear?
    /// b: −10⁹ at forbidden tokens [V].
    let bias: Tensor

    /// A generator around `model` writing `length` tokens, never a `forbidden` one, copying
    /// document tokens when `copyGate` is given.
    public init(model: Seq2Seq, length: Int, forbidden: [Int], copyGate: Linear? = nil) {
        precondition(length > 0, "SummaryGenerator needs a positive summary length, got \(length)")
        self.model = model
        self.copyGate = copyGate
        self.length = length
        self.forbidden = forbidden
        endIndex = model.config.endIndex
        var b = [Float](repeating: 0, count: model.config.targetVocabulary)
        for f in forbidden { b[f] = -1e9 }
        bias = Tensor(b, shape: [b.count])
    }

    /// Straight-through (`hard`) or soft Gumbel-softmax summaries [B, K, V] of `documents` [B, S]
    /// (row b holding `lengths[b]` tokens), with gradients to the generator's weights.
    public func softSummaries(_ documents: Tensor, lengths: [Int], temperature: Float, hard: Bool = true, generator: RandomGenerator) -> Tensor {
        let memory = model.encode(documents, lengths: lengths)
        let sources = copyGate == nil ? nil : oneHot(documents)
        var state = model.initialState(memory)
        var input = model.targetEmbedding(Tensor.full([memory.batch], Float(model.config.beginIndex)))
        var outputs: [Tensor] = []
        for _ in 0..<length {
            let (logits, next, attention) = model.step(embedded: input, state: state, memory: memory)
            state = next
            let y = GumbelSoftmax.sample(logits: scores(logits, attention: attention, state: next, sources: sources),
                                         temperature: temperature, hard: hard, generator: generator)
            outputs.append(y)
            input = matmul(y, model.targetEmbedding.weight)
        }
        return Tensor.stack(outputs, axis: 1)
    }

    /// The most probable allowed token at each of the K steps [B][K], in evaluation mode without
    /// gradients (end tokens included: `words` trims them); with `blockRepeats` a word already
    /// written in a row is not written again (the end token excepted), a decoding rule against the
    /// repetition attention-based decoders fall into (See et al. 2017, section 3.3, treat it with
    /// a coverage loss instead).
    public func greedy(_ documents: Tensor, lengths: [Int], blockRepeats: Bool = false) -> [[Int]] {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        return noGrad {
            let memory = model.encode(documents, lengths: lengths)
            let sources = copyGate == nil ? nil : oneHot(documents)
            var state = model.initialState(memory)
            var tokens = [Int](repeating: model.config.beginIndex, count: memory.batch)
            var out = [[Int]](repeating: [], count: memory.batch)
            for _ in 0..<length {
                let (logits, next, attention) = model.step(tokens: Tensor(indices: tokens), state: state, memory: memory)
                state = next
                var step = scores(logits, attention: attention, state: next, sources: sources)
                if blockRepeats { step = step + repeatMask(out) }
                let best = step.argmax(axis: 1).scalars.map { Int($0) }
                for (row, token) in best.enumerated() { out[row].append(token) }
                tokens = best
            }
            return out
        }
    }

    /// One step's scores [B, V] before the Gumbel noise or the argmax: the vocabulary logits, or
    /// the pointer-generator log-probabilities over `sources` with the copy gate, plus b.
    func scores(_ logits: Tensor, attention: Tensor, state: DecoderState, sources: Tensor?) -> Tensor {
        guard let copyGate, let sources else { return logits + bias }
        return PointerGenerator.logProbabilities(logits: logits, attention: attention, sources: sources, gate: copyGate(state.attentional)) + bias
    }

    /// −10⁹ [B, V] at the words each row of `written` already holds (not at the end token).
    func repeatMask(_ written: [[Int]]) -> Tensor {
        let v = model.config.targetVocabulary
        var mask = [Float](repeating: 0, count: written.count * v)
        for (row, tokens) in written.enumerated() { for t in tokens where t != endIndex { mask[row * v + t] = -1e9 } }
        return Tensor(mask, shape: [written.count, v])
    }

    /// Token indices [B, S] as one-hot rows [B, S, V] of the vocabulary.
    func oneHot(_ tokens: Tensor) -> Tensor { Tensor.oneHot(tokens, classes: model.config.targetVocabulary) }

    /// A summary's words: its tokens before the first end token.
    public func words(_ tokens: [Int]) -> [Int] { Array(tokens.prefix { $0 != endIndex }) }
}
