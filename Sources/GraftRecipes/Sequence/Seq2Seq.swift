import Graft
import GraftNN

/// An encoder-decoder with global attention (Sutskever et al. 2014, "Sequence to sequence learning
/// with neural networks"; Luong et al. 2015, "Effective approaches to attention-based neural machine
/// translation", section 3.1): a recurrent encoder reads the source [B, S] into outputs h̄_s; the
/// decoder, started from the encoder's final state, reads the previous target token and at each
/// step t attends over the source,
///
///     a_t(s) = softmax_s score(h_t, h̄_s),  c_t = Σ_s a_t(s) h̄_s,  h̃_t = tanh(W_c [c_t; h_t]),
///     p(y_t | y_<t, x) = softmax(W_s h̃_t),
///
/// with score = h_tᵀ h̄_s (dot) or h_tᵀ W_a h̄_s (general); padded source positions get a -1e9 bias.
/// Tokens are batch-first [B, T] Float tensors of whole-number indices. `encode` gives the memory,
/// `initialState` and `step` advance the decoder one token (for greedy decoding, sampling, beam
/// search or policy-gradient rollouts), and `logits(memory:targetInput:)` runs the teacher-forced
/// decoder over a whole target, the embedding's input gates precomputed in one product.
///
/// State keys: `sourceEmbedding`, `targetEmbedding`, `encoderLSTM`/`encoderGRU`,
/// `decoderLSTM`/`decoderGRU`, `attentionWeight` (general only), `combine` (W_c), `output` (W_s).
public final class Seq2Seq: Module {
    /// The configuration the model was built with.
    public let config: Seq2SeqConfig
    /// Source and target embeddings (the padding row stays zero).
    public let sourceEmbedding: Embedding, targetEmbedding: Embedding
    /// The encoder: an LSTM or a GRU, the other nil.
    public let encoderLSTM: LSTM?, encoderGRU: GRU?
    /// The decoder: an LSTM or a GRU, the other nil; used cell by cell.
    public let decoderLSTM: LSTM?, decoderGRU: GRU?
    /// W_a of the general score (nil for dot).
    public let attentionWeight: Linear?
    /// W_c: [c; h] → h̃, without bias as in Luong et al.
    public let combine: Linear
    /// W_s: h̃ → target logits.
    public let output: Linear
    /// Dropout on embeddings and h̃.
    public let dropout: Dropout

    /// A model for `config` with weights drawn from `generator`; a bad configuration throws.
    public init(_ config: Seq2SeqConfig, generator: RandomGenerator = .global) throws {
        if let problem = config.problem { throw TransferError.invalidSetting(name: "Seq2SeqConfig", reason: problem) }
        self.config = config
        let h = config.hidden
        sourceEmbedding = Embedding(config.sourceVocabulary, config.sourceEmbedding, paddingIndex: config.padIndex, generator: generator)
        targetEmbedding = Embedding(config.targetVocabulary, config.targetEmbedding, paddingIndex: config.padIndex, generator: generator)
        let decoderInput = config.targetEmbedding + (config.inputFeeding ? h : 0)
        switch config.cell {
        case .lstm:
            encoderLSTM = LSTM(inputSize: config.sourceEmbedding, hiddenSize: h, layers: config.layers, dropout: config.dropout, generator: generator)
            decoderLSTM = LSTM(inputSize: decoderInput, hiddenSize: h, layers: config.layers, dropout: config.dropout, generator: generator)
            encoderGRU = nil; decoderGRU = nil
        case .gru:
            encoderGRU = GRU(inputSize: config.sourceEmbedding, hiddenSize: h, layers: config.layers, dropout: config.dropout, generator: generator)
            decoderGRU = GRU(inputSize: decoderInput, hiddenSize: h, layers: config.layers, dropout: config.dropout, generator: generator)
            encoderLSTM = nil; decoderLSTM = nil
        }
        attentionWeight = config.score == .general ? Linear(h, h, bias: false, generator: generator) : nil
        combine = Linear(2 * h, h, bias: false, generator: generator)
        output = Linear(h, config.targetVocabulary, generator: generator)
        dropout = Dropout(config.dropout, generator: generator)
        super.init()
    }

    // MARK: encoder

    /// Encodes `source` [B, S] whose row b holds `lengths[b]` real tokens (the rest is padding,
    /// whatever its values).
    public func encode(_ source: Tensor, lengths: [Int]) -> EncoderMemory {
        precondition(source.rank == 2, "Seq2Seq.encode needs source tokens [B, S], got \(source.shape)")
        return encode(embedded: sourceEmbedding(source), lengths: lengths)
    }

    /// Encodes already embedded sources [B, S, E] (e.g. soft tokens times the source embedding
    /// table, so that gradients reach whatever produced them); otherwise as `encode(_:lengths:)`.
    public func encode(embedded: Tensor, lengths: [Int]) -> EncoderMemory {
        precondition(embedded.rank == 3 && embedded.shape[2] == config.sourceEmbedding,
                     "Seq2Seq.encode needs embedded sources [B, S, \(config.sourceEmbedding)], got \(embedded.shape)")
        let (b, s) = (embedded.shape[0], embedded.shape[1])
        precondition(lengths.count == b && lengths.allSatisfy { (0...s).contains($0) },
                     "Seq2Seq.encode: lengths \(lengths) must give one length in 0...\(s) per source row of \(b)")
        let x = dropout(embedded)
        let masked: [Int]? = lengths.allSatisfy { $0 == s } ? nil : lengths
        let outputs: Tensor, state: RecurrentState
        let layers = 0..<config.layers
        if let lstm = encoderLSTM {
            let (o, st) = lstm(x, lengths: masked)
            outputs = o
            state = RecurrentState(h: layers.map { st.h.select(axis: 0, index: $0) }, c: layers.map { st.c.select(axis: 0, index: $0) })
        } else {
            let (o, hn) = encoderGRU!(x, lengths: masked)
            outputs = o
            state = RecurrentState(h: layers.map { hn.select(axis: 0, index: $0) }, c: [])
        }
        var bias = [Float](repeating: 0, count: b * s)
        for (row, n) in lengths.enumerated() { for t in n..<s { bias[row * s + t] = -1e9 } }
        let keys = attentionWeight.map { $0(outputs) } ?? outputs
        return EncoderMemory(outputs: outputs, keys: keys, bias: Tensor(bias, shape: [b, 1, s]), lengths: lengths, finalState: state)
    }

    // MARK: decoder

    /// The decoder's state before its first step: the encoder's final state and h̃ = 0.
    public func initialState(_ memory: EncoderMemory) -> DecoderState {
        DecoderState(recurrent: memory.finalState, attentional: Tensor.zeros([memory.batch, config.hidden]))
    }

    /// Global attention for queries h [B, T, H]: h̃ [B, T, H] and the weights a [B, T, S].
    public func attend(_ query: Tensor, memory: EncoderMemory) -> (attentional: Tensor, weights: Tensor) {
        let scores = matmul(query, memory.keys, transposeB: true) + memory.bias
        let weights = scores.softmax(axis: -1)
        let context = matmul(weights, memory.outputs)
        return (combine(Tensor.concat([context, query], axis: 2)).tanh(), weights)
    }

    /// One decoder step from the previous tokens [B]: the logits [B, V] of the next token, the
    /// new state and the attention weights [B, S].
    public func step(tokens: Tensor, state: DecoderState, memory: EncoderMemory) -> (logits: Tensor, state: DecoderState, attention: Tensor) {
        precondition(tokens.shape == [memory.batch], "Seq2Seq.step needs tokens [\(memory.batch)], got \(tokens.shape)")
        return step(embedded: targetEmbedding(tokens), state: state, memory: memory)
    }

    /// One decoder step from already embedded previous tokens [B, E] (e.g. a soft token times the
    /// target embedding table, for differentiable free-running decoding); otherwise as `step(tokens:state:memory:)`.
    public func step(embedded: Tensor, state: DecoderState, memory: EncoderMemory) -> (logits: Tensor, state: DecoderState, attention: Tensor) {
        precondition(embedded.shape == [memory.batch, config.targetEmbedding],
                     "Seq2Seq.step needs embedded tokens [\(memory.batch), \(config.targetEmbedding)], got \(embedded.shape)")
        var input = dropout(embedded)
        if config.inputFeeding { input = Tensor.concat([input, state.attentional], axis: 1) }
        var next = RecurrentState(h: [], c: [])
        for l in 0..<config.layers {
            let (h, c) = cellStep(l, gates: inputGates(l, input), state: state.recurrent)
            next.h.append(h)
            if let c { next.c.append(c) }
            input = l + 1 < config.layers ? layerDropout(h) : h
        }
        let (attentional, weights) = attend(input.unsqueeze(axis: 1), memory: memory)
        let hTilde = attentional.squeeze(axis: 1)
        return (output(dropout(hTilde)), DecoderState(recurrent: next, attentional: hTilde), weights.squeeze(axis: 1))
    }

    /// Teacher-forced logits [B, T, V] for decoder inputs `targetInput` [B, T] (begin token then the
    /// target shifted right). Position t sees only inputs 0...t, so padding after a target's end
    /// changes nothing before it.
    public func logits(memory: EncoderMemory, targetInput: Tensor) -> Tensor {
        precondition(targetInput.rank == 2 && targetInput.shape[0] == memory.batch,
                     "Seq2Seq.logits needs decoder inputs [\(memory.batch), T], got \(targetInput.shape)")
        let x = dropout(targetEmbedding(targetInput))
        if !config.inputFeeding {
            // The whole target in one pass of the stacked cells, then attention as one batched product.
            let top: Tensor
            if let lstm = decoderLSTM {
                let st = memory.finalState
                top = lstm(x, state: (Tensor.stack(st.h, axis: 0), Tensor.stack(st.c, axis: 0))).output
            } else {
                top = decoderGRU!(x, h: Tensor.stack(memory.finalState.h, axis: 0)).output
            }
            return output(dropout(attend(top, memory: memory).attentional))
        }
        // Input feeding: the embedding's share of layer 0's gates for all steps in one product,
        // h̃_{t-1}'s share added step by step.
        let e = config.targetEmbedding
        let w0 = inputWeight(0)
        let pre = matmul(x, w0.slice(axis: 1, start: 0, end: e), transposeB: true) + inputBias(0)
        let feedWeight = w0.slice(axis: 1, start: e)
        var state = initialState(memory)
        var outputs: [Tensor] = []
        for t in 0..<targetInput.shape[1] {
            var next = RecurrentState(h: [], c: [])
            var input = Tensor(0)
            for l in 0..<config.layers {
                let gates = l == 0 ? pre.select(axis: 1, index: t) + matmul(state.attentional, feedWeight, transposeB: true) : inputGates(l, input)
                let (h, c) = cellStep(l, gates: gates, state: state.recurrent)
                next.h.append(h)
                if let c { next.c.append(c) }
                input = l + 1 < config.layers ? layerDropout(h) : h
            }
            let hTilde = attend(input.unsqueeze(axis: 1), memory: memory).attentional.squeeze(axis: 1)
            state = DecoderState(recurrent: next, attentional: hTilde)
            outputs.append(hTilde)
        }
        return output(dropout(Tensor.stack(outputs, axis: 1)))
    }

    /// Layer `l`'s input-to-gates weight.
    func inputWeight(_ l: Int) -> Tensor { decoderLSTM?.cells[l].weightIH ?? decoderGRU!.cells[l].weightIH }

    /// The bias the cell adds to its input gates (b_ih + b_hh for an LSTM, b_ih for a GRU).
    func inputBias(_ l: Int) -> Tensor {
        if let cell = decoderLSTM?.cells[l] { return cell.biasIH + cell.biasHH }
        return decoderGRU!.cells[l].biasIH
    }

    /// Layer `l`'s input gates for an input [..., I].
    func inputGates(_ l: Int, _ x: Tensor) -> Tensor {
        if let cell = decoderLSTM?.cells[l] { return cell.inputGates(x) }
        return decoderGRU!.cells[l].inputGates(x)
    }

    /// One cell step of layer `l` from its gates and the previous state of that layer.
    func cellStep(_ l: Int, gates: Tensor, state: RecurrentState) -> (h: Tensor, c: Tensor?) {
        if let cell = decoderLSTM?.cells[l] {
            let (h, c) = cell.step(inputGates: gates, state: (state.h[l], state.c[l]))
            return (h, c)
        }
        return (decoderGRU!.cells[l].step(inputGates: gates, h: state.h[l]), nil)
    }

    /// Dropout between stacked layers (the decoder module's).
    func layerDropout(_ x: Tensor) -> Tensor { (decoderLSTM?.dropout ?? decoderGRU!.dropout)(x) }

    // MARK: training

    /// The teacher-forced maximum-likelihood loss: the mean token cross-entropy of the targets,
    /// positions past each target's length left out (whatever tokens they hold).
    public func loss(_ batch: Seq2SeqBatch) -> Tensor {
        let memory = encode(batch.source, lengths: batch.sourceLengths)
        let logits = logits(memory: memory, targetInput: batch.targetInput)
        return Loss.crossEntropy(logits, batch.lossTargets(padIndex: config.padIndex), ignoreIndex: config.padIndex)
    }

    /// One optimisation step on `batch` (gradients clipped to a global norm of `clipNorm` when
    /// given); returns the loss before the step.
    @discardableResult
    public func trainStep(_ batch: Seq2SeqBatch, optimizer: Optimizer, clipNorm: Float? = 5) -> Float {
        optimizer.zeroGrad()
        let l = loss(batch)
        l.backward()
        if let clipNorm { GradientClipping.clipNorm(parameters(), maxNorm: clipNorm) }
        optimizer.step()
        return l.scalars[0]
    }
}
