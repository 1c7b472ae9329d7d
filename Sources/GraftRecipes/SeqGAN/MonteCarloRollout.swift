import Graft
import GraftNN

/// SeqGAN's step-wise reward by Monte-Carlo search (Yu et al. 2017, equation 4): the reward of
/// emitting y_t after Y_{1:t-1} is the discriminator's mean score of N completions of Y_{1:t}
/// sampled by the rollout policy G_β,
///
///     Q(Y_{1:t-1}, y_t) = (1/N) Σ_n D(MC^{G_β}(Y_{1:t}; N)_n)  for t < T,   D(Y_{1:T}) for t = T.
///
/// The rollout policy is a delayed copy of the generator (`TokenGenerator.follow`, rate 0.8 in
/// the authors' code). Each prefix is continued from its LSTM state (`prefixStates`), computed
/// once per sentence rather than re-running the prefix, and the N rollouts of a prefix length run
/// as one batch of B·N sequences.
public struct MonteCarloRollout {
    /// Completions per prefix (the paper uses 16).
    public var rollouts: Int
    /// Sampling temperature of the completions.
    public var temperature: Float

    /// A rollout of `rollouts` completions per prefix.
    public init(rollouts: Int = 16, temperature: Float = 1) {
        precondition(rollouts > 0, "MonteCarloRollout needs at least one rollout")
        self.rollouts = rollouts
        self.temperature = temperature
    }

    /// Rewards [B, T] for sentences [B, T] sampled by the generator: column t - 1 is Q for the
    /// prefix of length t; `score` maps complete sequences [M, T] to D's probability [M] of real.
    public func rewards(for sentences: Tensor, policy: TokenGenerator, score: (Tensor) -> Tensor,
                        generator: RandomGenerator) -> Tensor {
        precondition(sentences.rank == 2, "MonteCarloRollout needs sentences [B, T], got \(sentences.shape)")
        return noGrad {
            rollOut(sentences, prefixStates: policy.prefixStates(sentences), continueSampling: { last, state, steps in
                policy.continueSampling(last, state: state, steps: steps, temperature: temperature, generator: generator)
            }, scoreRollouts: { repeated, given, rest in
                score(Tensor.concat([repeated.slice(axis: 1, start: 0, end: given), rest], axis: 1))
            }, scoreComplete: score)
        }
    }

    /// The same rewards with D frozen for the whole call and scored by
    /// `discriminator.rolloutScorer()` (token tables; the windows of a prefix computed once for
    /// its N rollouts; see `FrozenSequenceScorer`): the completions are the same draws as
    /// `rewards(for:policy:score:generator:)` with `score: discriminator.probabilityReal` makes
    /// from the same generator state, and the scores agree to float rounding.
    public func rewards(for sentences: Tensor, policy: TokenGenerator, discriminator: SequenceDiscriminator,
                        generator: RandomGenerator) -> Tensor {
        precondition(sentences.rank == 2, "MonteCarloRollout needs sentences [B, T], got \(sentences.shape)")
        return noGrad {
            rewards(for: sentences, prefixStates: policy.prefixStates(sentences), scorer: discriminator.rolloutScorer()) { last, state, steps in
                policy.continueSampling(last, state: state, steps: steps, temperature: temperature, generator: generator)
            }
        }
    }

    /// Rewards [B, T] for any recurrent policy with a frozen scorer: `prefixStates[t]` (h, c),
    /// each [B, H], is the state from which feeding token t of each sentence gives the logits of
    /// token t + 1 (t = 0 ..< T - 1; `TokenGenerator.prefixStates` has this layout), and
    /// `continueSampling(last, state, steps)` feeds tokens `last` [M] from `state` [M, H] and
    /// returns `steps` sampled tokens [M, steps] (the temperature and random generator are the
    /// closure's).
    public func rewards(for sentences: Tensor, prefixStates: [(h: Tensor, c: Tensor)], scorer: FrozenSequenceScorer,
                        continueSampling: (Tensor, (h: Tensor, c: Tensor), Int) -> Tensor) -> Tensor {
        precondition(sentences.rank == 2, "MonteCarloRollout needs sentences [B, T], got \(sentences.shape)")
        return noGrad {
            rollOut(sentences, prefixStates: prefixStates, continueSampling: continueSampling, scoreRollouts: { _, given, rest in
                scorer.rolloutProbabilities(sentences: sentences, given: given, completions: rest)
            }, scoreComplete: scorer.probabilityReal)
        }
    }

    /// The rollout loop: for each prefix length `given` < T, the N·B completions `rest`
    /// [N·B, T - given] (row r·B + i continues sentence i) scored by `scoreRollouts(repeated,
    /// given, rest)`, where `repeated` [N·B, T] holds the sentences; the last column scores the
    /// sentences themselves.
    func rollOut(_ sentences: Tensor, prefixStates states: [(h: Tensor, c: Tensor)],
                 continueSampling: (Tensor, (h: Tensor, c: Tensor), Int) -> Tensor,
                 scoreRollouts: (Tensor, Int, Tensor) -> Tensor, scoreComplete: (Tensor) -> Tensor) -> Tensor {
        let (b, t) = (sentences.shape[0], sentences.shape[1])
        let n = rollouts
        precondition(states.count >= t - 1, "MonteCarloRollout needs \(t - 1) prefix states, got \(states.count)")
        // Row r * B + i is rollout r of sentence i.
        let repeated = sentences.unsqueeze(axis: 0).expand([n, b, t]).reshape([n * b, t])
        var columns: [Tensor] = []
        for given in 1..<max(t, 1) {
            // Feeding token given-1 from this state predicts token `given`, the first sampled one.
            let s = states[given - 1]
            let h = s.h.unsqueeze(axis: 0).expand([n, b, s.h.shape[1]]).reshape([n * b, -1])
            let c = s.c.unsqueeze(axis: 0).expand([n, b, s.c.shape[1]]).reshape([n * b, -1])
            let last = repeated.select(axis: 1, index: given - 1)
            let rest = continueSampling(last, (h, c), t - given)
            columns.append(scoreRollouts(repeated, given, rest).reshape([n, b]).mean(axis: 0))
        }
        columns.append(scoreComplete(sentences).reshape([b]))
        return Tensor.stack(columns, axis: 1)
    }
}
