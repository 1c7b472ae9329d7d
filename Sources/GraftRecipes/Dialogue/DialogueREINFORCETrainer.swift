import Graft
import GraftData
import GraftNN

/// How a `DialogueREINFORCETrainer` trains (defaults: the chatbot lab's quick run).
public struct DialogueREINFORCESettings: Sendable, Equatable {
    /// Adam's learning rate for the policy (the seq2seq model).
    public var learningRate: Float = 5e-4
    /// The global norm the policy's gradients are clipped to.
    public var clipNorm: Float = 5
    /// The momentum m of the moving-average baseline b ← m b + (1 - m) mean(r).
    public var baselineMomentum = 0.9
    /// The longest sampled response, in tokens.
    public var maxLength = 12
    /// Steps between refreshes of the reward's dull set (from the model's greedy answers to the
    /// dull probe), and the set's size.
    public var dullEvery = 20, dullCount = 5

    /// The defaults above.
    public init() {}
}

/// What one dialogue policy-gradient step measured.
public struct DialogueStepResult: Sendable, Equatable {
    /// The batch's mean reward, mean_b r(y_b).
    public let meanReward: Double
    /// The value of the REINFORCE surrogate loss.
    public let policyLoss: Double
    /// The sampled responses (token lists without begin or end tokens), one per query.
    public let samples: [[Int]]
}

/// Why a dialogue trainer stopped.
public enum DialogueTrainingError: Error, Equatable, CustomStringConvertible {
    /// The `phase` loss was not finite at that phase's step `step` (counted from 1).
    case nonFiniteLoss(phase: String, step: Int, value: Float)

    /// A message naming the phase and the step.
    public var description: String {
        switch self {
        case let .nonFiniteLoss(phase, step, value): return "the \(phase) loss became \(value) at step \(step)"
        }
    }
}

/// A chatbot fine-tuned by policy gradient with a hand-made reward (Li et al. 2016, "Deep
/// reinforcement learning for dialogue generation"): for each query x of a batch the model samples
/// a response y ~ p_θ(· | x), a reward r(y) scores it (`ResponseReward`: length, informative words,
/// no repetition, not one of the model's own most common answers) and θ follows REINFORCE with a
/// moving-average baseline b,
///
///     ∇J(θ) ≈ (1/B) Σ_b (r(y_b) − b) ∇_θ Σ_t log p_θ(y_{b,t} | y_{b,<t}, x_b),
///
/// through `PolicyGradient.step` (the update SeqGAN's trainer uses), with the gradients clipped to
/// a global norm. Every `dullEvery` steps the reward's dull set is refreshed with the model's most
/// frequent greedy answers to a fixed probe of queries, so the answer the policy falls back on
/// stops paying. Sampling draws from the trainer's `random`.
public final class DialogueREINFORCETrainer {
    /// The settings.
    public let settings: DialogueREINFORCESettings
    /// The policy p_θ being fine-tuned.
    public let model: Seq2Seq
    /// Adam over every parameter of the model.
    public let optimizer: Adam
    /// The reward r(y); its dull set is refreshed by `step(queries:)`.
    public var reward: ResponseReward
    /// The queries whose greedy answers define the dull set (none: never refreshed).
    public let dullProbe: [[Int]]
    /// The moving-average baseline b.
    public var baseline: MovingAverageBaseline
    /// The seeded source of the samples.
    public let random: RandomGenerator
    /// Steps taken so far.
    public internal(set) var stepsTaken = 0

    /// A trainer of `model` with `reward`, refreshing its dull set from the answers to `dullProbe`,
    /// sampling from `random`.
    public init(model: Seq2Seq, reward: ResponseReward, dullProbe: [[Int]] = [], settings: DialogueREINFORCESettings = .init(),
                random: RandomGenerator) {
        self.settings = settings
        self.model = model
        self.reward = reward
        self.dullProbe = dullProbe
        self.random = random
        baseline = MovingAverageBaseline(momentum: settings.baselineMomentum)
        optimizer = Adam(model.namedParameters(), learningRate: settings.learningRate)
    }

    /// One step on `queries` with the trainer's `ResponseReward`, whose dull set is refreshed first
    /// when `stepsTaken` is a multiple of `dullEvery`.
    @discardableResult
    public func step(queries: [[Int]]) throws -> DialogueStepResult {
        if !dullProbe.isEmpty && stepsTaken % max(settings.dullEvery, 1) == 0 {
            reward.dull = ResponseReward.mostCommon(model.greedy(dullProbe, maxLength: settings.maxLength), count: settings.dullCount)
        }
        let reward = self.reward
        return try step(queries: queries) { reward($0) }
    }

    /// One step on `queries` with any per-response reward r(y): sample, score, subtract the
    /// baseline, update θ.
    @discardableResult
    public func step(queries: [[Int]], reward: ([Int]) -> Double) throws -> DialogueStepResult {
        let samples = DialoguePolicy.sample(model, queries: queries, maxLength: settings.maxLength, random: random)
        let rewards = Tensor(samples.map { Float(reward($0)) }, shape: [samples.count])
        stepsTaken += 1
        let loss = try DialoguePolicy.step(model, optimizer: optimizer, queries: queries, samples: samples,
                                           advantages: baseline.advantages(rewards), clipNorm: settings.clipNorm, phase: "RL policy-gradient",
                                           step: stepsTaken)
        return DialogueStepResult(meanReward: Double(rewards.mean().item), policyLoss: Double(loss), samples: samples)
    }
}

/// The policy-gradient pieces both dialogue trainers share.
enum DialoguePolicy {
    /// Ancestral samples (temperature 1) of `model` for `queries`, drawn from `random`.
    static func sample(_ model: Seq2Seq, queries: [[Int]], maxLength: Int, random: RandomGenerator) -> [[Int]] {
        let padded = padBatch(queries, padIndex: model.config.padIndex)
        return model.sample(padded.tokens, lengths: padded.lengths, maxLength: maxLength, generator: random)
    }

    /// `PolicyGradient.step` on the sequence log-probabilities Σ_t log p(y_t | y_<t, x) of
    /// `samples`, weighted by `advantages`, the model's gradients clipped at `clipNorm`.
    static func step(_ model: Seq2Seq, optimizer: Optimizer, queries: [[Int]], samples: [[Int]], advantages: Tensor,
                     clipNorm: Float, phase: String, step: Int) throws -> Float {
        let padded = padBatch(queries, padIndex: model.config.padIndex)
        let memory = model.encode(padded.tokens, lengths: padded.lengths)
        let logProbabilities = model.responseLogProbabilities(memory: memory, responses: samples).sum(axis: 1)
        do {
            return try PolicyGradient.step(logProbabilities: logProbabilities, advantages: advantages, optimizer: optimizer,
                                           clipping: (model.parameters(), clipNorm))
        } catch let PolicyGradientError.nonFiniteLoss(value) {
            throw DialogueTrainingError.nonFiniteLoss(phase: phase, step: step, value: value)
        }
    }
}
