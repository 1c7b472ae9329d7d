import Graft
import GraftData
import GraftNN

/// The cross-aligned autoencoder of Shen, Lei, Barzilay and Jaakkola (2017, "Style transfer from
/// non-parallel text by cross-alignment", section 4.2). An encoder E(x, y) reads a sentence x of
/// style y from the initial state [v_y; 0] and keeps the content part z of its final state; a
/// generator G(y, z) is a GRU started from h_0 = [v_y; z]. Reconstruction is teacher-forced,
///
///     L_rec = Σ_k E_{x∼X_k} [-log p_G(x | y_k, E(x, y_k))],
///
/// and the two styles' decoders are aligned through their hidden states: for each style k a
/// CNN discriminator D_k tells the teacher-forced states h of G(y_k, z_k) on real x_k from the
/// free-running states h̃ of G(y_k, z_{k'}) (x_{k'} transferred to style k), the free run fed
/// softmax(logits / γ) E at each step (professor forcing, section 4.2, eq. 13):
///
///     L_adv,k = -E log D_k(h) - E log(1 - D_k(h̃)),  min_{E,G} max_D  L_rec - λ (L_adv,0 + L_adv,1).
///
/// The encoder and generator minimise L_rec + λ Σ_k [-E log(1 - D_k(h)) - E log D_k(h̃)]
/// (the authors' code flips the labels instead of negating the loss).
public final class CrossAlignedAutoencoder: Module {
    /// Token embeddings shared by encoder and generator.
    public let embedding: Embedding
    /// v_y: one vector of width `styleSize` per style.
    public let styleEmbedding: Embedding
    /// The encoder GRU (hidden `styleSize + contentSize`).
    public let encoder: GRU
    /// The generator's GRU cell (hidden `styleSize + contentSize`).
    public let generatorCell: GRUCell
    /// Generator states to token logits.
    public let output: Linear
    /// D_0 and D_1 over hidden-state sequences (their token embeddings are unused).
    public let discriminators: [SequenceDiscriminator]
    /// Widths of v_y and z.
    public let styleSize: Int, contentSize: Int
    /// Tokens 0..<vocabulary and the special indices.
    public let vocabulary: Int, padIndex: Int, beginIndex: Int, endIndex: Int
    /// The longest sentence read or written.
    public let maxLength: Int
    /// γ: the softmax temperature of the free-running generator's fed-back tokens.
    public var gamma: Float
    /// λ: the weight of the adversarial alignment.
    public var adversarialWeight: Float

    /// A model over `vocabulary` tokens; weights drawn from `generator`.
    public init(vocabulary: Int, embedding e: Int = 64, styleSize: Int = 32, contentSize: Int = 128, maxLength: Int = 20,
                maps: Int = 32, widths: [Int] = [1, 2, 3, 4, 5], gamma: Float = 0.1, adversarialWeight: Float = 1,
                padIndex: Int = 0, beginIndex: Int = 2, endIndex: Int = 3, generator: RandomGenerator) {
        precondition(vocabulary > 4 && e > 0 && styleSize > 0 && contentSize > 0 && maxLength > 0 && gamma > 0,
                     "CrossAlignedAutoencoder needs positive sizes, γ and a vocabulary beyond the specials")
        let h = styleSize + contentSize
        embedding = Embedding(vocabulary, e, paddingIndex: padIndex, generator: generator)
        styleEmbedding = Embedding(2, styleSize, generator: generator)
        encoder = GRU(inputSize: e, hiddenSize: h, generator: generator)
        generatorCell = GRUCell(e, h, generator: generator)
        output = Linear(h, vocabulary, generator: generator)
        discriminators = (0..<2).map { _ in
            SequenceDiscriminator(vocabulary: 1, embedding: h, widths: widths, maps: [Int](repeating: maps, count: widths.count),
                                  dropout: 0, generator: generator)
        }
        self.styleSize = styleSize; self.contentSize = contentSize
        self.vocabulary = vocabulary; self.padIndex = padIndex; self.beginIndex = beginIndex; self.endIndex = endIndex
        self.maxLength = maxLength; self.gamma = gamma; self.adversarialWeight = adversarialWeight
        super.init()
    }

    /// The parameters of the encoder and the generator (not the discriminators).
    public func autoencoderParameters() -> [(name: String, tensor: Tensor)] {
        namedParameters().filter { !$0.name.hasPrefix("discriminators") }
    }

    /// The parameters of the two discriminators.
    public func discriminatorParameters() -> [(name: String, tensor: Tensor)] {
        namedParameters().filter { $0.name.hasPrefix("discriminators") }
    }

    /// v_y for every row [B, styleSize].
    func styleVectors(_ style: Int, count: Int) -> Tensor { styleEmbedding(Tensor.full([count], Float(style))) }

    /// z = E(x, y) [B, contentSize]: the content part of the encoder's final state.
    public func encode(_ sentences: [[Int]], style: Int) -> Tensor {
        let padded = padBatch(sentences.map { Array($0.prefix(maxLength)) }, padIndex: padIndex)
        let b = sentences.count
        let start = Tensor.concat([styleVectors(style, count: b), Tensor.zeros([b, contentSize])], axis: 1).unsqueeze(axis: 0)
        let lengths = padded.lengths.map { max(1, $0) }
        let final = encoder(embedding(padded.tokens), h: start, lengths: lengths).h.select(axis: 0, index: 0)
        return final.slice(axis: 1, start: styleSize, end: styleSize + contentSize)
    }

    /// h_0 = [v_y; z].
    func startState(_ style: Int, content: Tensor) -> Tensor {
        Tensor.concat([styleVectors(style, count: content.shape[0]), content], axis: 1)
    }

    /// Teacher-forced generator states [B, T + 1, H] (h_0 first) over inputs `<bos> x` padded to
    /// T = `steps` positions, and the logits [B, T, V] of each position's next token.
    public func teacherForced(_ sentences: [[Int]], style: Int, content: Tensor, steps: Int) -> (states: Tensor, logits: Tensor) {
        let inputs = sentences.map { Array(([beginIndex] + $0).prefix(steps)) + [Int](repeating: padIndex, count: max(0, steps - 1 - $0.count)) }
        let gates = generatorCell.inputGates(embedding(Tensor(inputs.flatMap { $0.map(Float.init) }, shape: [sentences.count, steps])))
        var h = startState(style, content: content)
        var states = [h]
        for t in 0..<steps {
            h = generatorCell.step(inputGates: gates.select(axis: 1, index: t), h: h)
            states.append(h)
        }
        let all = Tensor.stack(states, axis: 1)
        return (all, output(all.slice(axis: 1, start: 1, end: steps + 1)))
    }

    /// Free-running generator states [B, steps + 1, H] (h_0 first), each step fed
    /// softmax(logits / γ) E (differentiable), and the greedy tokens (before each row's end token).
    public func freeRunning(style: Int, content: Tensor, steps: Int) -> (states: Tensor, tokens: [[Int]]) {
        let b = content.shape[0]
        var h = startState(style, content: content)
        var states = [h]
        var input = embedding(Tensor.full([b], Float(beginIndex)))
        var picks: [Tensor] = []
        for _ in 0..<steps {
            h = generatorCell.step(inputGates: generatorCell.inputGates(input), h: h)
            states.append(h)
            let logits = output(h)
            picks.append(logits.detach().argmax(axis: -1))
            input = matmul((logits / gamma).softmax(axis: -1), embedding.weight)
        }
        let ids = Tensor.stack(picks, axis: 1).scalars.map { Int($0) }
        let tokens = (0..<b).map { row in Array(ids[(row * steps)..<((row + 1) * steps)].prefix { $0 != endIndex }) }
        return (Tensor.stack(states, axis: 1), tokens)
    }

    /// The losses of one batch of each style (`batches[k]` of style k, both non-empty).
    public func losses(_ batches: [[[Int]]]) -> CrossAlignedLosses {
        precondition(batches.count == 2 && batches.allSatisfy { !$0.isEmpty }, "CrossAlignedAutoencoder needs a non-empty batch of each style")
        let steps = min(maxLength, batches.flatMap { $0.map(\.count) }.max() ?? 1) + 1
        let contents = (0..<2).map { encode(batches[$0], style: $0) }
        var reconstruction = Tensor(0), discriminator = Tensor(0), adversarial = Tensor(0)
        for k in 0..<2 {
            let (real, logits) = teacherForced(batches[k], style: k, content: contents[k], steps: steps)
            let targets = padBatch(batches[k].map { Array($0.prefix(maxLength)) + [endIndex] }, padIndex: padIndex, maxLength: steps).tokens
            let width = targets.shape[1]
            let cut = width < steps ? logits.slice(axis: 1, start: 0, end: width) : logits
            // Summed over each sentence's tokens and averaged over sentences, as in the authors' code.
            reconstruction = reconstruction + Loss.crossEntropy(cut, targets, ignoreIndex: padIndex, reduction: .sum) / Float(batches[k].count)
            let fake = freeRunning(style: k, content: contents[1 - k], steps: steps).states
            let d = discriminators[k]
            let realLogits = d.classify(embedded: real), fakeLogits = d.classify(embedded: fake)
            let ones = Tensor.ones(realLogits.shape), zeros = Tensor.zeros(fakeLogits.shape)
            // D on detached states; the autoencoder against D with the labels flipped.
            discriminator = discriminator + Loss.binaryCrossEntropyWithLogits(d.classify(embedded: real.detach()), ones)
                + Loss.binaryCrossEntropyWithLogits(d.classify(embedded: fake.detach()), zeros)
            adversarial = adversarial + Loss.binaryCrossEntropyWithLogits(realLogits, Tensor.zeros(realLogits.shape))
                + Loss.binaryCrossEntropyWithLogits(fakeLogits, Tensor.ones(fakeLogits.shape))
        }
        return CrossAlignedLosses(reconstruction: reconstruction, discriminator: discriminator, adversarial: adversarial)
    }

    /// One training round: an encoder and generator step on `autoencoderOptimizer` minimising
    /// L_rec + λ L_adv (only L_rec while the discriminators' mean loss is at or above
    /// `alignThreshold`; the authors' code aligns only once each discriminator's loss is below
    /// 1.2), then a discriminator step on `discriminatorOptimizer`. The autoencoder's gradients are
    /// clipped at `clipNorm`; returns the loss values (means over the two styles).
    @discardableResult
    public func trainStep(_ batches: [[[Int]]], autoencoderOptimizer: Optimizer, discriminatorOptimizer: Optimizer,
                          alignThreshold: Float = 1.2, clipNorm: Float = 5) -> CrossAlignedLossValues {
        let l = losses(batches)
        // The autoencoder first (its graph reads the discriminators' current weights), then the
        // discriminators on the detached states.
        let align = l.discriminator.item / 2 < alignThreshold
        autoencoderOptimizer.zeroGrad()
        let objective = align ? l.reconstruction + l.adversarial * adversarialWeight : l.reconstruction
        objective.backward()
        GradientClipping.clipNorm(autoencoderParameters().map(\.tensor), maxNorm: clipNorm)
        autoencoderOptimizer.step()
        discriminatorOptimizer.zeroGrad()
        l.discriminator.backward()
        discriminatorOptimizer.step()
        return CrossAlignedLossValues(reconstruction: l.reconstruction.item / 2, discriminator: l.discriminator.item / 2,
                                      adversarial: l.adversarial.item / 2, aligned: align)
    }

    /// Transfers: z = E(x, style), then greedy decoding of G(1 - style, z), at most `maxLength + 1` tokens.
    public func transfer(_ sentences: [[Int]], from style: Int) -> [[Int]] {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return noGrad {
            stride(from: 0, to: sentences.count, by: 128).flatMap { start in
                let chunk = Array(sentences[start..<min(start + 128, sentences.count)])
                let content = encode(chunk, style: style)
                return greedy(style: 1 - style, content: content)
            }
        }
    }

    /// Greedy decoding of G(style, z) with hard tokens fed back.
    func greedy(style: Int, content: Tensor) -> [[Int]] {
        let b = content.shape[0], steps = maxLength + 1
        var h = startState(style, content: content)
        var tokens = Tensor.full([b], Float(beginIndex))
        var picks: [[Int]] = []
        for _ in 0..<steps {
            h = generatorCell.step(inputGates: generatorCell.inputGates(embedding(tokens)), h: h)
            tokens = output(h).argmax(axis: -1)
            picks.append(tokens.scalars.map { Int($0) })
        }
        return (0..<b).map { row in Array((0..<steps).map { picks[$0][row] }.prefix { $0 != endIndex }) }
    }
}

/// The losses of one `CrossAlignedAutoencoder` batch (sums over the two styles).
public struct CrossAlignedLosses {
    /// Teacher-forced reconstruction cross-entropy (per sentence: summed over its tokens).
    public let reconstruction: Tensor
    /// The discriminators' loss on detached states.
    public let discriminator: Tensor
    /// The autoencoder's adversarial loss (flipped labels).
    public let adversarial: Tensor
}

/// The loss values of a `CrossAlignedAutoencoder` step (means over the two styles).
public struct CrossAlignedLossValues: Sendable, Equatable {
    /// Reconstruction cross-entropy per sentence.
    public let reconstruction: Float
    /// Discriminator loss (ln 4 ≈ 1.386 at chance).
    public let discriminator: Float
    /// The autoencoder's adversarial loss.
    public let adversarial: Float
    /// Whether the alignment term was used this step.
    public let aligned: Bool
    /// Whether every value is finite.
    public var isFinite: Bool { reconstruction.isFinite && discriminator.isFinite && adversarial.isFinite }
}
