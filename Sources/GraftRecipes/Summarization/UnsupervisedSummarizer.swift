import Graft
import GraftData
import GraftNN

/// The losses of one `UnsupervisedSummarizer` step.
public struct SummarizerStep: Sendable, Equatable {
    /// L_rec: the reconstructor's mean token cross-entropy of the documents.
    public let reconstruction: Double
    /// L_adv = −mean log σ(D(y)) (0 without a discriminator).
    public let adversarial: Double
    /// L_D before its update (0 without a discriminator).
    public let discriminator: Double
    /// D's mean probability of "human" for the headlines and for the summaries (0 without one).
    public let realScore: Double, fakeScore: Double
}

/// Unpaired abstractive summarization (Wang and Lee 2018, "Learning to encode text as
/// human-readable summaries using generative adversarial networks"): a generator G turns a
/// document x into a K-word summary y, a reconstructor R turns y back into x, and a
/// discriminator D, trained on human-written short texts that are not the documents' summaries,
/// keeps y readable. The paper trains through the discrete words with a WGAN over G's output
/// distributions or with adversarial REINFORCE; this recipe takes the continuous route with a
/// straight-through Gumbel-softmax (`SummaryGenerator`; `straightThrough = false` feeds the soft
/// samples instead), so one backward pass gives G and R the gradient of
///
///     L_{G,R} = L_rec(x, R(y)) + λ L_adv(y),   y = ST-Gumbel-softmax(G(x); τ),
///
/// with L_rec the teacher-forced cross-entropy of x (`SummaryReconstructor`) and L_adv the
/// non-saturating GAN term; D alternates, one step on L_D per G/R step (`SummaryDiscriminator`).
/// λ = 0 gives a plain auto-encoder through the word bottleneck, without D. Every random choice
/// comes from the seed.
public final class UnsupervisedSummarizer {
    /// The settings.
    public let settings: SummarizerSettings
    /// G.
    public let generatorNet: SummaryGenerator
    /// R.
    public let reconstructor: SummaryReconstructor
    /// D (used only when λ > 0).
    public let discriminator: SequenceDiscriminator
    /// Adam over G's and R's weights, and over D's.
    public let optimizer: Adam, discriminatorOptimizer: Adam
    /// The seeded source of noise.
    public let random: RandomGenerator
    /// Steps taken.
    public internal(set) var steps = 0

    /// A summarizer whose weights and noise follow `seed`; bad settings throw.
    public init(settings: SummarizerSettings, seed: UInt64) throws {
        if let problem = settings.problem { throw SummarizationError("SummarizerSettings: \(problem)") }
        self.settings = settings
        random = RandomGenerator(seed: seed)
        let config = Seq2SeqConfig(sourceVocabulary: settings.vocabulary, targetVocabulary: settings.vocabulary, embedding: settings.embedding,
                                   hidden: settings.hidden, padIndex: settings.padIndex, beginIndex: settings.beginIndex, endIndex: settings.endIndex)
        let g = try Seq2Seq(config, generator: random), r = try Seq2Seq(config, generator: random)
        discriminator = SummaryDiscriminator.make(settings, generator: random)
        let gates = settings.copy ? (PointerGenerator.gate(for: g, generator: random), PointerGenerator.gate(for: r, generator: random)) : nil
        generatorNet = SummaryGenerator(model: g, length: settings.summaryLength, forbidden: settings.forbidden, copyGate: gates?.0)
        reconstructor = SummaryReconstructor(model: r, copyGate: gates?.1)
        optimizer = Adam(Self.named(generatorNet.model, generatorNet.copyGate, "generator")
                         + Self.named(reconstructor.model, reconstructor.copyGate, "reconstructor"),
                         learningRate: settings.learningRate)
        discriminatorOptimizer = Adam(discriminator.namedParameters(), learningRate: settings.discriminatorLearningRate)
    }

    /// One step on `documents` (token lists without begin or end) and, when λ > 0 and the
    /// warm-up is over, a batch of unpaired `headlines` (cut or filled with end tokens to K): D's
    /// update, then G's and R's.
    @discardableResult
    public func step(documents: [[Int]], headlines: [[Int]]) throws -> SummarizerStep {
        guard !documents.isEmpty, documents.allSatisfy({ !$0.isEmpty }) else {
            throw SummarizationError("summarizer step \(steps + 1): every document needs a token")
        }
        steps += 1
        let padded = padBatch(documents, padIndex: settings.padIndex)
        let summaries = generatorNet.softSummaries(padded.tokens, lengths: padded.lengths, temperature: settings.temperature,
                                                       hard: settings.straightThrough, generator: random)
        let adversarial = settings.adversarialWeight > 0 && steps > settings.warmUpSteps
        var dLoss = 0.0, realScore = 0.0, fakeScore = 0.0
        if adversarial {
            guard !headlines.isEmpty else { throw SummarizationError("summarizer step \(steps): the discriminator needs headlines") }
            let real = oneHot(headlines)
            let loss = SummaryDiscriminator.discriminatorLoss(discriminator, real: real, fake: summaries)
            try check(loss, "discriminator")
            discriminatorOptimizer.zeroGrad()
            loss.backward()
            discriminatorOptimizer.step()
            dLoss = Double(loss.item)
            noGrad {
                realScore = Double(discriminator(distributions: real).sigmoid().mean().item)
                fakeScore = Double(discriminator(distributions: summaries.detach()).sigmoid().mean().item)
            }
        }
        let reconstruction = reconstructor.loss(summaries: summaries, documents: documents)
        try check(reconstruction, "reconstruction")
        var total = reconstruction, advValue = 0.0
        if adversarial {
            let adv = SummaryDiscriminator.generatorLoss(discriminator, fake: summaries)
            try check(adv, "adversarial")
            advValue = Double(adv.item)
            total = total + settings.adversarialWeight * adv
        }
        optimizer.zeroGrad()
        total.backward()
        GradientClipping.clipNorm(optimizerParameters, maxNorm: settings.clipNorm)
        optimizer.step()
        discriminatorOptimizer.zeroGrad()
        return SummarizerStep(reconstruction: Double(reconstruction.item), adversarial: advValue, discriminator: dLoss,
                              realScore: realScore, fakeScore: fakeScore)
    }

    /// One lead pre-training step of G alone, before the auto-encoder: teacher-forced
    /// cross-entropy of each document's first K allowed tokens (then the end token) given the
    /// document, so that G starts out writing article-dependent summaries. It reads only the
    /// documents, no summary or headline; returns the loss before the step.
    @discardableResult
    public func leadStep(documents: [[Int]]) throws -> Double {
        guard !documents.isEmpty, documents.allSatisfy({ !$0.isEmpty }) else { throw SummarizationError("lead step: every document needs a token") }
        let banned = Set(settings.forbidden)
        let targets = documents.map { Array($0.lazy.filter { !banned.contains($0) }.prefix(settings.summaryLength)) }
        let batch = Seq2SeqBatch(sources: documents, targets: targets, padIndex: settings.padIndex,
                                 beginIndex: settings.beginIndex, endIndex: settings.endIndex)
        let model = generatorNet.model
        let memory = model.encode(batch.source, lengths: batch.sourceLengths)
        let logProbabilities = PointerGenerator.teacherForced(model, gate: generatorNet.copyGate, memory: memory,
                                                              sources: generatorNet.oneHot(batch.source), targetInput: batch.targetInput)
        let loss = Loss.crossEntropy(logProbabilities, batch.lossTargets(padIndex: settings.padIndex), ignoreIndex: settings.padIndex)
        try check(loss, "lead pre-training")
        leadOptimizer.zeroGrad()
        loss.backward()
        GradientClipping.clipNorm(Self.named(model, generatorNet.copyGate, "").map(\.tensor), maxNorm: settings.clipNorm)
        leadOptimizer.step()
        return Double(loss.item)
    }

    /// Adam over G's weights alone, for `leadStep`.
    lazy var leadOptimizer = Adam(Self.named(generatorNet.model, generatorNet.copyGate, "generator"), learningRate: settings.learningRate)

    /// G's and R's weights, gates included.
    private var optimizerParameters: [Tensor] {
        (Self.named(generatorNet.model, generatorNet.copyGate, "g") + Self.named(reconstructor.model, reconstructor.copyGate, "r")).map(\.tensor)
    }

    /// `model`'s and `gate`'s named weights under `prefix`.
    private static func named(_ model: Seq2Seq, _ gate: Linear?, _ prefix: String) -> [(name: String, tensor: Tensor)] {
        model.namedParameters().map { ("\(prefix).\($0.name)", $0.tensor) }
            + (gate?.namedParameters().map { ("\(prefix).copyGate.\($0.name)", $0.tensor) } ?? [])
    }

    /// Greedy summaries' words (tokens before the first end token) of `documents`, in batches of 128.
    public func summarize(_ documents: [[Int]]) -> [[Int]] {
        tokens(documents).map(generatorNet.words)
    }

    /// Greedy summaries [N][K] of `documents`, end tokens included.
    public func tokens(_ documents: [[Int]]) -> [[Int]] {
        stride(from: 0, to: documents.count, by: 128).flatMap { start in
            let padded = padBatch(Array(documents[start..<min(start + 128, documents.count)]), padIndex: settings.padIndex)
            return generatorNet.greedy(padded.tokens, lengths: padded.lengths, blockRepeats: settings.blockRepeatedWords)
        }
    }

    /// How well R reads the documents back from G's greedy summaries, or from the given
    /// `summaries` [N][K] (e.g. other documents' summaries, or a constant one): the share of
    /// document tokens predicted right by teacher forcing (`positions`: only each document's
    /// first ones).
    public func reconstructionAccuracy(_ documents: [[Int]], summaries given: [[Int]]? = nil, positions: Int? = nil) -> Double {
        let rows = given ?? tokens(documents)
        precondition(rows.count == documents.count && rows.allSatisfy { $0.count == settings.summaryLength },
                     "reconstructionAccuracy needs \(documents.count) summaries of \(settings.summaryLength) tokens")
        let summaries = Tensor.oneHot(Tensor(indices: rows.flatMap { $0 }, shape: [documents.count, settings.summaryLength]),
                                      classes: settings.vocabulary)
        return reconstructor.tokenAccuracy(summaries: summaries, documents: documents, positions: positions)
    }

    /// One-hot K-token sequences [B, K, V] of `texts`, cut or filled with end tokens to K.
    public func oneHot(_ texts: [[Int]]) -> Tensor {
        let k = settings.summaryLength
        let rows = texts.flatMap { SummaryDiscriminator.fixedLength($0, length: k, endIndex: settings.endIndex) }
        return Tensor.oneHot(Tensor(indices: rows, shape: [texts.count, k]), classes: settings.vocabulary)
    }

    private func check(_ loss: Tensor, _ term: String) throws {
        let v = loss.item
        guard v.isFinite else { throw SummarizationError("the \(term) loss became \(v) at summarizer step \(steps)") }
    }
}
