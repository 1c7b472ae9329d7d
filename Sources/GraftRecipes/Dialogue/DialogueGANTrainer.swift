import Graft
import GraftData
import GraftNN

/// How a `DialogueGANTrainer` trains (defaults: the chatbot lab's quick run).
public struct DialogueGANSettings: Sendable, Equatable {
    /// Adam's learning rate for the generator (policy-gradient and teacher-forcing steps).
    public var generatorLearningRate: Float = 5e-4
    /// Adam's learning rate for the discriminator.
    public var discriminatorLearningRate: Float = 3e-3
    /// The global norm the generator's gradients are clipped to.
    public var clipNorm: Float = 5
    /// The momentum of the moving-average baseline.
    public var baselineMomentum = 0.9
    /// The longest sampled response, in tokens; a (query, response) pair is 2 maxLength + 1 tokens.
    public var maxLength = 12
    /// The discriminator's embedding size, window widths, feature maps per width and dropout.
    public var discriminatorEmbedding = 32
    /// The CNN's window widths.
    public var discriminatorWidths = [1, 2, 3, 4, 5]
    /// Feature maps per window width (one entry per width).
    public var discriminatorMaps = [16, 16, 16, 16, 16]
    /// Dropout before the discriminator's output.
    public var discriminatorDropout: Float = 0.25
    /// One teacher-forcing (MLE) step on human pairs after every generator step (Li et al. 2017, section 3.3).
    public var teacherForcing = true

    /// The defaults above.
    public init() {}

    /// The length of a joined (query, separator, response) pair.
    public var pairLength: Int { 2 * maxLength + 1 }
}

/// What one discriminator step measured.
public struct DialogueDiscriminatorStepResult: Sendable, Equatable {
    /// The discriminator's binary cross-entropy on the human and the sampled pairs.
    public let loss: Double
    /// The generator's sampled responses the step used as fakes, one per query.
    public let samples: [[Int]]
}

/// What one adversarial step measured.
public struct DialogueGANStepResult: Sendable, Equatable {
    /// The discriminator's loss in its step.
    public let discriminatorLoss: Double
    /// The generator's step: the mean reward D(x, y) of its samples, the surrogate loss, the samples.
    public let generator: DialogueStepResult
    /// The teacher-forcing step's loss (nil when `teacherForcing` is off).
    public let teacherForcingLoss: Double?
}

/// Adversarial learning for dialogue generation (Li et al. 2017, "Adversarial learning for neural
/// dialogue generation", section 3): a discriminator D reads (query x, response y) pairs, joined
/// as `x <sep> y`, and learns to tell human responses from the generator's samples,
///
///     min_D  −E_{(x,y)∼human} log D(x, y) − E_{x, y∼G(·|x)} log(1 − D(x, y)),
///
/// while the generator G (a seq2seq model) is updated by REINFORCE with D's probability of "human"
/// as the reward, less a moving-average baseline b ("REINFORCE with D as reward", eq. 1-2):
///
///     ∇J(θ) ≈ (1/B) Σ_b (D(x_b, y_b) − b) ∇_θ Σ_t log G_θ(y_{b,t} | y_{b,<t}, x_b),
///
/// through `PolicyGradient.step`, followed by a teacher-forcing step on human pairs (section 3.3)
/// so that G keeps seeing what good responses look like. The separator token is the
/// discriminator's extra index `vocabulary`. Sampling draws from the trainer's `random`.
public final class DialogueGANTrainer {
    /// The settings.
    public let settings: DialogueGANSettings
    /// The generator G.
    public let generator: Seq2Seq
    /// The discriminator D over joined pairs (vocabulary + 1 tokens: the last is the separator).
    public let discriminator: SequenceDiscriminator
    /// G's optimizer (policy-gradient and teacher-forcing steps).
    public let generatorOptimizer: Adam
    /// D's optimizer.
    public let discriminatorOptimizer: Adam
    /// The moving-average baseline of the generator's rewards.
    public var baseline: MovingAverageBaseline
    /// The seeded source of the samples.
    public let random: RandomGenerator
    /// Discriminator pre-training steps and adversarial steps taken so far.
    public internal(set) var pretrainingStepsTaken = 0, stepsTaken = 0

    /// The separator token between query and response: the index after the generator's vocabulary.
    public var separator: Int { generator.config.targetVocabulary }

    /// A trainer of `generator` against a new discriminator initialised from `discriminatorGenerator`,
    /// sampling from `random`.
    public init(generator: Seq2Seq, settings: DialogueGANSettings = .init(), discriminatorGenerator: RandomGenerator,
                random: RandomGenerator) {
        self.settings = settings
        self.generator = generator
        self.random = random
        discriminator = SequenceDiscriminator(vocabulary: generator.config.targetVocabulary + 1, embedding: settings.discriminatorEmbedding,
                                              widths: settings.discriminatorWidths, maps: settings.discriminatorMaps,
                                              dropout: settings.discriminatorDropout, generator: discriminatorGenerator)
        discriminatorOptimizer = Adam(discriminator.namedParameters(), learningRate: settings.discriminatorLearningRate)
        generatorOptimizer = Adam(generator.namedParameters(), learningRate: settings.generatorLearningRate)
        baseline = MovingAverageBaseline(momentum: settings.baselineMomentum)
    }

    /// `query <sep> response`, padded with `padIndex` (or cut) to `length` tokens: D's input.
    public static func joinPair(query: [Int], response: [Int], separator: Int, padIndex: Int, length: Int) -> [Int] {
        let joined = Array((query + [separator] + response).prefix(length))
        return joined + [Int](repeating: padIndex, count: length - joined.count)
    }

    /// The joined pairs [B, pairLength] of `queries` and `responses`.
    public func pairs(_ queries: [[Int]], _ responses: [[Int]]) -> Tensor {
        let rows = zip(queries, responses).map {
            Self.joinPair(query: $0, response: $1, separator: separator, padIndex: generator.config.padIndex, length: settings.pairLength)
        }
        return Tensor(rows.flatMap { $0.map(Float.init) }, shape: [rows.count, settings.pairLength])
    }

    /// G's samples (temperature 1) for `queries`.
    public func sample(_ queries: [[Int]]) -> [[Int]] {
        DialoguePolicy.sample(generator, queries: queries, maxLength: settings.maxLength, random: random)
    }

    /// One step of D on human pairs (`queries`, `human`) against (`queries`, `fake`); returns its loss.
    @discardableResult
    public func discriminatorStep(queries: [[Int]], human: [[Int]], fake: [[Int]], phase: String = "discriminator",
                                  step: Int? = nil) throws -> Double {
        let logits = discriminator(Tensor.concat([pairs(queries, human), pairs(queries, fake)], axis: 0))
        let targets = Tensor.concat([Tensor.ones([human.count]), Tensor.zeros([fake.count])])
        let loss = Tensor.binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        guard loss.item.isFinite else { throw DialogueTrainingError.nonFiniteLoss(phase: phase, step: step ?? stepsTaken + 1, value: loss.item) }
        discriminatorOptimizer.zeroGrad()
        loss.backward()
        discriminatorOptimizer.step()
        return Double(loss.item)
    }

    /// One step of D before adversarial training: G's samples for `queries` against the human
    /// responses `human`.
    @discardableResult
    public func pretrainDiscriminatorStep(queries: [[Int]], human: [[Int]]) throws -> DialogueDiscriminatorStepResult {
        let fake = sample(queries)
        pretrainingStepsTaken += 1
        let loss = try discriminatorStep(queries: queries, human: human, fake: fake, phase: "pre-training discriminator",
                                         step: pretrainingStepsTaken)
        return DialogueDiscriminatorStepResult(loss: loss, samples: fake)
    }

    /// The generator's policy-gradient step on its `samples` for `queries`: reward D(x, y) (D in
    /// evaluation mode, without gradients), less the baseline; only G's parameters move.
    @discardableResult
    public func generatorStep(queries: [[Int]], samples: [[Int]]) throws -> DialogueStepResult {
        let rewards = discriminator.probabilityReal(pairs(queries, samples))
        let loss = try DialoguePolicy.step(generator, optimizer: generatorOptimizer, queries: queries, samples: samples,
                                           advantages: baseline.advantages(rewards), clipNorm: settings.clipNorm,
                                           phase: "GAN policy-gradient", step: max(stepsTaken, 1))
        return DialogueStepResult(meanReward: Double(rewards.mean().item), policyLoss: Double(loss), samples: samples)
    }

    /// One adversarial step: G samples responses to `queries`, D takes a step against them and the
    /// human responses `human`, G takes a policy-gradient step with reward D(x, y) (`generatorStep`), then, with
    /// `teacherForcing`, a teacher-forcing step on the human pairs `teacherBatch()` returns (asked
    /// for only then, after the policy-gradient step).
    @discardableResult
    public func step(queries: [[Int]], human: [[Int]],
                     teacherBatch: () -> (queries: [[Int]], responses: [[Int]])) throws -> DialogueGANStepResult {
        stepsTaken += 1
        let samples = sample(queries)
        let dLoss = try discriminatorStep(queries: queries, human: human, fake: samples, phase: "GAN discriminator", step: stepsTaken)
        let generatorResult = try generatorStep(queries: queries, samples: samples)
        var teacherLoss: Double?
        if settings.teacherForcing {
            let batch = teacherBatch()
            let c = generator.config
            let value = generator.trainStep(Seq2SeqBatch(sources: batch.queries, targets: batch.responses, padIndex: c.padIndex,
                                                         beginIndex: c.beginIndex, endIndex: c.endIndex),
                                            optimizer: generatorOptimizer, clipNorm: settings.clipNorm)
            guard value.isFinite else {
                throw DialogueTrainingError.nonFiniteLoss(phase: "GAN teacher-forcing", step: stepsTaken, value: value)
            }
            teacherLoss = Double(value)
        }
        return DialogueGANStepResult(discriminatorLoss: dLoss, generator: generatorResult, teacherForcingLoss: teacherLoss)
    }
}
