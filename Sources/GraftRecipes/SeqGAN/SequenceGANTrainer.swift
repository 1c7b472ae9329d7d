import Graft
import GraftNN

/// Sizes and rates of a sequence GAN run (defaults: SeqGAN's synthetic experiment, Yu et al.
/// 2017, section 5 and the authors' code: G with 32-unit embedding and LSTM trained by Adam at
/// 0.01, batches of 64, 16 rollouts, rollout copy following G at rate 0.8; D with the paper's
/// window widths, embedding 64, dropout 0.25, Adam at 1e-4).
public struct SequenceGANSettings: Codable, Sendable, Equatable {
    /// Tokens 0..<vocabulary (0 is also the start token).
    public var vocabulary = 5000
    /// Sequence length.
    public var length = 20
    /// Generator embedding and hidden sizes.
    public var generatorEmbedding = 32, generatorHidden = 32
    /// Sequences per batch.
    public var batchSize = 64
    /// Adam's rate for the generator (MLE and adversarial steps).
    public var generatorLearningRate: Float = 0.01
    /// Discriminator embedding size, window widths and feature maps per width.
    public var discriminatorEmbedding = 64
    /// The CNN's window widths (each at most `length`).
    public var discriminatorWidths = SequenceDiscriminator.paperWidths
    /// Feature maps per window width.
    public var discriminatorMaps = SequenceDiscriminator.paperMaps
    /// Dropout before D's output.
    public var discriminatorDropout: Float = 0.25
    /// Adam's rate for the discriminators.
    public var discriminatorLearningRate: Float = 1e-4
    /// Monte-Carlo rollouts per prefix.
    public var rollouts = 16
    /// The rollout copy's update rate: θ_β ← rate θ_β + (1 - rate) θ.
    public var rolloutUpdateRate: Float = 0.8
    /// Hidden units of the prefix discriminator (step-wise rewards).
    public var prefixHidden = 64
    /// WGAN-GP's λ and critic steps per generator step (continuous variants).
    public var gradientPenalty: Float = 10
    /// Critic updates per generator update in the continuous variants.
    public var criticSteps = 5
    /// Temperature of the continuous relaxations.
    public var softTemperature: Float = 1

    /// The defaults above.
    public init() {}
}

/// A loss became NaN or infinite; names the phase and the step.
public struct SequenceGANError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, with where.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// Trains a `TokenGenerator` by maximum likelihood, then adversarially in the ways the course
/// compares: REINFORCE with any sequence reward (e.g. BLEU, PG-BLEU), SeqGAN's rollout rewards
/// from a CNN discriminator, step-wise rewards from a prefix discriminator (REGS), and the
/// continuous route (soft or Gumbel-softmax outputs into a critic, as a WGAN-GP or with the
/// standard GAN loss). Every random choice comes from the trainer's seeded generator.
public final class SequenceGANTrainer {
    /// The settings.
    public let settings: SequenceGANSettings
    /// The generator G_θ.
    public let generatorNet: TokenGenerator
    /// SeqGAN's delayed rollout copy G_β.
    public let rolloutNet: TokenGenerator
    /// The CNN discriminator (also the critic of the continuous variants).
    public let discriminator: SequenceDiscriminator
    /// The prefix discriminator of the step-wise variant.
    public let prefixDiscriminator: PrefixDiscriminator
    /// G's optimizer.
    public let generatorOptimizer: Adam
    /// D's and the prefix discriminator's optimizers.
    public let discriminatorOptimizer: Adam, prefixOptimizer: Adam
    /// The seeded source of every random choice.
    public let random: RandomGenerator
    /// The moving-average baseline of the REINFORCE steps.
    public var baseline = MovingAverageBaseline(momentum: 0.9)

    /// A trainer whose initialisation and sampling follow `seed`.
    public init(settings: SequenceGANSettings, seed: UInt64) {
        precondition(settings.discriminatorWidths.allSatisfy { $0 <= settings.length },
                     "every discriminator window must fit sequences of length \(settings.length)")
        self.settings = settings
        random = RandomGenerator(seed: seed)
        generatorNet = TokenGenerator(vocabulary: settings.vocabulary, embedding: settings.generatorEmbedding,
                                      hidden: settings.generatorHidden, generator: random)
        rolloutNet = TokenGenerator(vocabulary: settings.vocabulary, embedding: settings.generatorEmbedding,
                                    hidden: settings.generatorHidden, generator: random)
        rolloutNet.follow(generatorNet, rate: 0)
        rolloutNet.freeze()
        discriminator = SequenceDiscriminator(vocabulary: settings.vocabulary, embedding: settings.discriminatorEmbedding,
                                              widths: settings.discriminatorWidths, maps: settings.discriminatorMaps,
                                              dropout: settings.discriminatorDropout, generator: random)
        prefixDiscriminator = PrefixDiscriminator(vocabulary: settings.vocabulary, embedding: settings.discriminatorEmbedding,
                                                  hidden: settings.prefixHidden, generator: random)
        generatorOptimizer = Adam(generatorNet.namedParameters(), learningRate: settings.generatorLearningRate)
        discriminatorOptimizer = Adam(discriminator.namedParameters(), learningRate: settings.discriminatorLearningRate)
        prefixOptimizer = Adam(prefixDiscriminator.namedParameters(), learningRate: settings.discriminatorLearningRate)
    }

    /// `count` sequences from G, without gradients.
    public func sample(_ count: Int) -> Tensor {
        generatorNet.sample(count: count, length: settings.length, generator: random)
    }

    /// One epoch of teacher-forced MLE over `data` [N, length] in a seeded order; returns the
    /// mean training NLL per token.
    @discardableResult
    public func mleEpoch(_ data: Tensor) throws -> Double {
        let order = random.permutation(data.shape[0])
        var total = 0.0, batches = 0
        for start in stride(from: 0, to: order.count, by: settings.batchSize) {
            let idx = Tensor(indices: Array(order[start..<min(start + settings.batchSize, order.count)]))
            let loss = generatorNet.nll(data.indexSelect(axis: 0, indices: idx))
            try check(loss, "MLE", batches + 1)
            generatorOptimizer.zeroGrad()
            loss.backward()
            generatorOptimizer.step()
            total += Double(loss.item); batches += 1
        }
        return total / Double(max(batches, 1))
    }

    /// SeqGAN's discriminator phase: `epochs` passes over all of `real` against as many fresh
    /// samples of G, in batches (BCE, real = 1). Returns the last pass's mean loss.
    @discardableResult
    public func discriminatorRound(real: Tensor, epochs: Int = 3) throws -> Double {
        try adversarialRound(real: real, epochs: epochs, phase: "discriminator", optimizer: discriminatorOptimizer) { r, f in
            Tensor.binaryCrossEntropyWithLogits(logits: Tensor.concat([self.discriminator(r), self.discriminator(f)]),
                                                targets: Tensor.concat([Tensor.ones([r.shape[0]]), Tensor.zeros([f.shape[0]])]))
        }
    }

    /// The prefix discriminator's phase: like `discriminatorRound`, on every prefix.
    @discardableResult
    public func prefixDiscriminatorRound(real: Tensor, epochs: Int = 3) throws -> Double {
        try adversarialRound(real: real, epochs: epochs, phase: "prefix discriminator", optimizer: prefixOptimizer) { r, f in
            self.prefixDiscriminator.loss(real: r, fake: f)
        }
    }

    /// `epochs` shuffled passes over `real` and as many fresh samples of G, each batch's
    /// `loss(real, fake)` stepping `optimizer`; returns the last pass's mean loss.
    private func adversarialRound(real: Tensor, epochs: Int, phase: String, optimizer: Adam,
                                  loss: (Tensor, Tensor) -> Tensor) throws -> Double {
        let fake = sample(real.shape[0])
        var last = 0.0
        for epoch in 0..<epochs {
            let order = random.permutation(real.shape[0])
            var total = 0.0, batches = 0
            for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                let idx = Tensor(indices: Array(order[start..<min(start + settings.batchSize, order.count)]))
                let value = loss(real.indexSelect(axis: 0, indices: idx), fake.indexSelect(axis: 0, indices: idx))
                try check(value, "\(phase) (epoch \(epoch + 1))", batches + 1)
                optimizer.zeroGrad()
                value.backward()
                optimizer.step()
                total += Double(value.item); batches += 1
            }
            last = total / Double(max(batches, 1))
        }
        return last
    }

    /// One REINFORCE step on a batch of G's samples with per-token rewards [B, T] from
    /// `rewards` (or per-sequence rewards [B], broadcast), less the moving-average baseline when
    /// `useBaseline`. Returns the batch's mean reward.
    @discardableResult
    public func policyGradientStep(useBaseline: Bool, rewards: (Tensor) -> Tensor) throws -> Double {
        let samples = sample(settings.batchSize)
        let r = rewards(samples)
        let advantages = useBaseline ? baseline.advantages(r) : r
        do {
            try PolicyGradient.step(logProbabilities: generatorNet.logProbabilities(of: samples), advantages: advantages,
                                    optimizer: generatorOptimizer)
        } catch let PolicyGradientError.nonFiniteLoss(value) {
            throw SequenceGANError(message: "the policy gradient loss became \(value) at batch 1")
        }
        return Double(r.mean().item)
    }

    /// One SeqGAN generator step (Yu et al. 2017, Algorithm 1): rollout rewards from D through
    /// G_β, a policy-gradient update of G, then G_β follows G. D, fixed during the step, scores
    /// the rollouts through its frozen scorer (`SequenceDiscriminator.rolloutScorer`).
    @discardableResult
    public func seqGANStep() throws -> Double {
        let rollout = MonteCarloRollout(rollouts: settings.rollouts)
        let mean = try policyGradientStep(useBaseline: false) { samples in
            rollout.rewards(for: samples, policy: rolloutNet, discriminator: discriminator, generator: random)
        }
        rolloutNet.follow(generatorNet, rate: settings.rolloutUpdateRate)
        return mean
    }

    /// One step with step-wise rewards from the prefix discriminator (no rollouts).
    @discardableResult
    public func stepwiseStep() throws -> Double {
        try policyGradientStep(useBaseline: true) { self.prefixDiscriminator.rewards($0) }
    }

    /// One round of the continuous route: `criticSteps` critic updates then one generator update,
    /// with G's `mode` outputs as the fake sequences and one-hot real ones. `wasserstein` trains
    /// a WGAN-GP critic (Gulrajani et al. 2017); otherwise the standard GAN loss
    /// (non-saturating for G), whose D can tell one-hot from soft inputs apart. Returns the
    /// critic's last loss.
    @discardableResult
    public func continuousStep(real: Tensor, mode: SoftTokens, wasserstein: Bool) throws -> Double {
        let v = settings.vocabulary, n = settings.batchSize
        var criticLoss = 0.0
        for k in 0..<settings.criticSteps {
            let idx = Tensor(indices: (0..<n).map { _ in random.nextInt(below: real.shape[0]) })
            let oneHot = Tensor.oneHot(real.indexSelect(axis: 0, indices: idx), classes: v)
            let fake = noGrad {
                generatorNet.softSequences(count: n, length: settings.length, mode: mode, temperature: settings.softTemperature, generator: random)
            }
            let dReal = discriminator(distributions: oneHot), dFake = discriminator(distributions: fake)
            var loss: Tensor
            if wasserstein {
                loss = dFake.mean() - dReal.mean()
                    + GradientPenalty.penalty(critic: { self.discriminator(distributions: $0) }, real: oneHot, fake: fake,
                                              lambda: settings.gradientPenalty, generator: random)
            } else {
                loss = Tensor.binaryCrossEntropyWithLogits(logits: Tensor.concat([dReal, dFake]),
                                                           targets: Tensor.concat([Tensor.ones([n]), Tensor.zeros([n])]))
            }
            try check(loss, "critic", k + 1)
            discriminatorOptimizer.zeroGrad()
            loss.backward()
            discriminatorOptimizer.step()
            criticLoss = Double(loss.item)
        }
        let fake = generatorNet.softSequences(count: n, length: settings.length, mode: mode, temperature: settings.softTemperature, generator: random)
        let score = discriminator(distributions: fake)
        let gLoss = wasserstein ? -score.mean() : Tensor.binaryCrossEntropyWithLogits(logits: score, targets: Tensor.ones([n]))
        try check(gLoss, "generator (continuous)", 1)
        generatorOptimizer.zeroGrad()
        discriminatorOptimizer.zeroGrad()
        gLoss.backward()
        generatorOptimizer.step()
        discriminatorOptimizer.zeroGrad()
        return criticLoss
    }

    private func check(_ loss: Tensor, _ phase: String, _ step: Int) throws {
        let v = loss.item
        guard v.isFinite else { throw SequenceGANError(message: "the \(phase) loss became \(v) at batch \(step)") }
    }
}
