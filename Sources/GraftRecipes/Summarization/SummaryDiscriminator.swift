import Graft
import GraftNN

/// The discriminator side of Wang and Lee (2018, section 3): a `SequenceDiscriminator` reads
/// K-token sequences as distributions [B, K, V] and tells human-written short texts h (one-hot
/// headlines, unpaired with the documents) from the generator's summaries y. With the standard
/// GAN loss (Goodfellow et al. 2014) and the non-saturating generator term,
///
///     L_D = −log σ(D(h)) − log(1 − σ(D(y))),   L_adv = −log σ(D(y)),
///
/// L_adv's gradient moving the summaries towards what D takes for human. Because the generator's
/// straight-through outputs are one-hot forward, D cannot tell them from headlines by their
/// softness, only by their words and order.
public enum SummaryDiscriminator {
    /// A discriminator for summaries of `settings.summaryLength` tokens.
    public static func make(_ settings: SummarizerSettings, generator: RandomGenerator) -> SequenceDiscriminator {
        SequenceDiscriminator(vocabulary: settings.vocabulary, embedding: settings.discriminatorEmbedding, widths: settings.discriminatorWidths,
                              maps: settings.discriminatorMaps, dropout: 0.25, generator: generator)
    }

    /// `text`'s first `length` tokens, then the end token up to `length`: a headline as the
    /// K-token sequence the discriminator compares with summaries.
    public static func fixedLength(_ text: [Int], length: Int, endIndex: Int) -> [Int] {
        let words = Array(text.prefix(length))
        return words + [Int](repeating: endIndex, count: length - words.count)
    }

    /// L_D on one-hot `real` and (detached) `fake` sequences [B, K, V].
    public static func discriminatorLoss(_ d: SequenceDiscriminator, real: Tensor, fake: Tensor) -> Tensor {
        let logits = Tensor.concat([d(distributions: real), d(distributions: fake.detach())])
        let targets = Tensor.concat([Tensor.ones([real.shape[0]]), Tensor.zeros([fake.shape[0]])])
        return Tensor.binaryCrossEntropyWithLogits(logits: logits, targets: targets)
    }

    /// L_adv = −mean log σ(D(y)) of the summaries `fake` [B, K, V], differentiable in them.
    public static func generatorLoss(_ d: SequenceDiscriminator, fake: Tensor) -> Tensor {
        Tensor.binaryCrossEntropyWithLogits(logits: d(distributions: fake), targets: Tensor.ones([fake.shape[0]]))
    }
}
