import Graft
import GraftData
import GraftNN

/// Direct style transfer without parallel data: one style-conditioned encoder-decoder T(x, s)
/// (a `Seq2Seq` with Luong attention whose source is the style token of the wanted style followed
/// by x, as Johnson et al. 2017 select a target language) trained on sentences of two styles
/// that are never paired. For a sentence x of style s and the other style s', with
/// ỹ = T(x, s') decoded by the straight-through Gumbel-softmax (`softDecode`):
///
///     L = λ_id  · -log p_T(x | x, s)                      (identity / reconstruction)
///       + λ_copy · -log p_T(x | x, s')                    (copy: a warm start that keeps content, annealed to 0)
///       + λ_cyc · -log p_T(x | ỹ, s)                      (cycle: back-translation, Lample et al. 2019)
///       + λ_sty · -log C(s' | ỹ)                          (a style classifier, Hu et al. 2017, eq. 6)
///       + λ_lm  · -Σ_t ỹ_t · log p_LM_s'(· | ỹ_<t)         (a target-style language model, Yang et al. 2018, eq. 5)
///
/// The classifier C and the two language models are trained beforehand on the unpaired
/// sentences and held fixed; gradients reach T through the soft tokens (ỹ E for the encoder of
/// the cycle, the classifier and the language model). Content comes first, as in Lample et al.'s
/// (2019) "Multiple-attribute text rewriting" (auto-encoding, then back-translation, eq. 1-2):
/// `identityStep` with a copy weight trains T to copy x whichever style is asked for, and the
/// full objective's λ_copy (a `trainStep` argument) lets a schedule release that copy gradually
/// while the cycle, style and fluency losses take over.
public final class DirectStyleTransfer: Module {
    /// The configuration.
    public let config: StyleTransferConfig
    /// T: source vocabulary = tokens + 2 style tokens, target vocabulary = tokens.
    public let seq2seq: Seq2Seq

    /// A model for `config`, weights drawn from `generator`; a bad configuration throws.
    public init(_ config: StyleTransferConfig, generator: RandomGenerator) throws {
        if let problem = config.problem { throw TransferError.invalidSetting(name: "StyleTransferConfig", reason: problem) }
        self.config = config
        seq2seq = try Seq2Seq(Seq2SeqConfig(sourceVocabulary: config.vocabulary + 2, targetVocabulary: config.vocabulary,
                                            embedding: config.embedding, hidden: config.hidden, dropout: config.dropout,
                                            padIndex: config.padIndex, beginIndex: config.beginIndex, endIndex: config.endIndex),
                              generator: generator)
        super.init()
    }

    /// The source token that asks for `style` (0 or 1).
    public func styleToken(_ style: Int) -> Int {
        precondition(style == 0 || style == 1, "DirectStyleTransfer has styles 0 and 1, got \(style)")
        return config.vocabulary + style
    }

    /// The encoder's memory of `sentences` asked to become `style`: sources `<style> x`.
    public func encode(_ sentences: [[Int]], to style: Int) -> EncoderMemory {
        let padded = padBatch(sentences.map { [styleToken(style)] + $0.prefix(config.maxLength) }, padIndex: config.padIndex)
        return seq2seq.encode(padded.tokens, lengths: padded.lengths)
    }

    /// -log p_T(targets | sources, style), the mean over target tokens and end tokens.
    public func reconstructionLoss(memory: EncoderMemory, targets: [[Int]]) -> Tensor {
        let batch = Seq2SeqBatch(sources: targets, targets: targets.map { Array($0.prefix(config.maxLength)) },
                                 padIndex: config.padIndex, beginIndex: config.beginIndex, endIndex: config.endIndex)
        let logits = seq2seq.logits(memory: memory, targetInput: batch.targetInput)
        return Loss.crossEntropy(logits, batch.lossTargets(padIndex: config.padIndex), ignoreIndex: config.padIndex)
    }

    /// The differentiable transfer ỹ = T(x, style) (straight-through Gumbel-softmax, `maxLength + 1` steps).
    public func softTransfer(_ sentences: [[Int]], to style: Int, generator: RandomGenerator) -> SoftSequence {
        seq2seq.softDecode(memory: encode(sentences, to: style), steps: config.maxLength + 1, temperature: config.temperature,
                           noise: config.noise, generator: generator)
    }

    /// The cycle loss -log p_T(x | ỹ, s): ỹ's soft tokens (up to each row's end token, at least
    /// one) are embedded as ỹ E after the style token of s, encoded, and x is teacher-forced.
    public func cycleLoss(_ soft: SoftSequence, back style: Int, originals: [[Int]]) -> Tensor {
        let (b, l) = (soft.distributions.shape[0], soft.distributions.shape[1])
        let table = seq2seq.sourceEmbedding.weight
        let tokenPart = table.slice(axis: 0, start: 0, end: config.vocabulary)
        let styleVector = table.select(axis: 0, index: styleToken(style)).reshape([1, 1, config.embedding]) * Tensor.ones([b, 1, 1])
        let embedded = Tensor.concat([styleVector,
                                      matmul(soft.distributions.reshape([b * l, config.vocabulary]), tokenPart).reshape([b, l, config.embedding])],
                                     axis: 1)
        let lengths = soft.lengths.map { 1 + max(1, $0) }
        return reconstructionLoss(memory: seq2seq.encode(embedded: embedded, lengths: lengths), targets: originals)
    }

    /// The four losses of a batch of `sentences` of style `style`, transferred to the other style.
    /// The classifier's logit is for style 1; `languageModels[k]` is the language model of style k.
    /// `copyWeight` is λ_copy, the weight of -log p_T(x | x, s') (0 skips that term).
    public func losses(_ sentences: [[Int]], style: Int, classifier: StyleClassifier, languageModels: [TokenGenerator],
                       generator: RandomGenerator, copyWeight: Float = 0) -> StyleTransferLosses {
        precondition(languageModels.count == 2, "DirectStyleTransfer.losses needs one language model per style, got \(languageModels.count)")
        let other = 1 - style
        let identity = reconstructionLoss(memory: encode(sentences, to: style), targets: sentences)
        let copy = copyWeight > 0 ? reconstructionLoss(memory: encode(sentences, to: other), targets: sentences) : Tensor(0)
        let soft = softTransfer(sentences, to: other, generator: generator)
        let cycle = cycleLoss(soft, back: style, originals: sentences)
        let padded = soft.padded(padIndex: config.padIndex)
        let styleLoss = Loss.binaryCrossEntropyWithLogits(classifier.logits(distributions: padded), Tensor.full([sentences.count], Float(other)))
        let fluency = languageModels[other].softNLL(soft.distributions, mask: soft.mask(extra: 1))
        return StyleTransferLosses(identity: identity, copy: copy, cycle: cycle, style: styleLoss, fluency: fluency, config: config,
                                   copyWeight: copyWeight)
    }

    /// One optimisation step on a batch of each style (`batches[k]` of style k): the losses of
    /// both directions summed, gradients clipped at `clipNorm`; returns the mean of each loss over
    /// the two directions (before the step). `copyWeight` is λ_copy (see `losses`).
    @discardableResult
    public func trainStep(_ batches: [[[Int]]], classifier: StyleClassifier, languageModels: [TokenGenerator],
                          optimizer: Optimizer, generator: RandomGenerator, clipNorm: Float = 5, copyWeight: Float = 0) -> StyleTransferLossValues {
        precondition(batches.count == 2, "DirectStyleTransfer.trainStep needs one batch per style, got \(batches.count)")
        optimizer.zeroGrad()
        let parts = (0..<2).filter { !batches[$0].isEmpty }.map {
            losses(batches[$0], style: $0, classifier: classifier, languageModels: languageModels, generator: generator, copyWeight: copyWeight)
        }
        let total = parts.map(\.total).reduce(Tensor(0), +)
        total.backward()
        GradientClipping.clipNorm(seq2seq.parameters(), maxNorm: clipNorm)
        optimizer.step()
        let n = Float(max(1, parts.count))
        return StyleTransferLossValues(identity: parts.map { $0.identity.item }.reduce(0, +) / n,
                                       copy: parts.map { $0.copy.item }.reduce(0, +) / n,
                                       cycle: parts.map { $0.cycle.item }.reduce(0, +) / n,
                                       style: parts.map { $0.style.item }.reduce(0, +) / n,
                                       fluency: parts.map { $0.fluency.item }.reduce(0, +) / n,
                                       total: total.item / n)
    }

    /// One step of the identity loss alone on a batch of each style (a warm-up: T first learns to
    /// copy, so that the soft transfers of the full objective start from readable sentences);
    /// with `copyWeight` > 0 it adds `copyWeight` × -log p_T(x | x, s'), so that T also copies
    /// when asked for the other style (a warm start from copying). Returns the identity loss
    /// -log p_T(x | x, s) averaged over the two styles.
    @discardableResult
    public func identityStep(_ batches: [[[Int]]], optimizer: Optimizer, clipNorm: Float = 5, copyWeight: Float = 0) -> Float {
        precondition(batches.count == 2, "DirectStyleTransfer.identityStep needs one batch per style, got \(batches.count)")
        optimizer.zeroGrad()
        let styles = (0..<2).filter { !batches[$0].isEmpty }
        let parts = styles.map { reconstructionLoss(memory: encode(batches[$0], to: $0), targets: batches[$0]) }
        let copies = copyWeight > 0
            ? styles.map { reconstructionLoss(memory: encode(batches[$0], to: 1 - $0), targets: batches[$0]) * copyWeight } : []
        let total = (parts + copies).reduce(Tensor(0), +)
        total.backward()
        GradientClipping.clipNorm(seq2seq.parameters(), maxNorm: clipNorm)
        optimizer.step()
        return parts.map(\.item).reduce(0, +) / Float(max(1, parts.count))
    }

    /// Greedy transfers T(x, style), at most `maxLength + 1` tokens each, in batches of 128.
    public func transfer(_ sentences: [[Int]], to style: Int) -> [[Int]] {
        seq2seq.greedy(sentences.map { [styleToken(style)] + $0.prefix(config.maxLength) }, maxLength: config.maxLength + 1)
    }
}

/// The losses of one direction of `DirectStyleTransfer`, as tensors.
public struct StyleTransferLosses {
    /// -log p_T(x | x, s).
    public let identity: Tensor
    /// -log p_T(x | x, s') (0 when its weight is 0).
    public let copy: Tensor
    /// -log p_T(x | T(x, s'), s).
    public let cycle: Tensor
    /// -log C(s' | T(x, s')).
    public let style: Tensor
    /// The target-style language model's expected NLL of T(x, s').
    public let fluency: Tensor
    /// The weights.
    public let config: StyleTransferConfig
    /// λ_copy of this step.
    public let copyWeight: Float

    /// The weighted sum.
    public var total: Tensor {
        identity * config.identityWeight + copy * copyWeight + cycle * config.cycleWeight
            + style * config.styleWeight + fluency * config.fluencyWeight
    }
}

/// The losses of a `DirectStyleTransfer` step, as numbers.
public struct StyleTransferLossValues: Sendable, Equatable {
    /// Identity (reconstruction) loss.
    public let identity: Float
    /// Copy loss -log p_T(x | x, s') (0 when its weight was 0).
    public let copy: Float
    /// Cycle (back-translation) loss.
    public let cycle: Float
    /// Style-classifier loss.
    public let style: Float
    /// Language-model (fluency) loss.
    public let fluency: Float
    /// The weighted total.
    public let total: Float

    /// Whether every value is finite.
    public var isFinite: Bool { [identity, copy, cycle, style, fluency, total].allSatisfy(\.isFinite) }
}
