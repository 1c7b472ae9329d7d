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
        let (b, t) = (sentences.shape[0], sentences.shape[1])
        let n = rollouts
        return noGrad {
            let states = policy.prefixStates(sentences)
            // Row r * B + i is rollout r of sentence i.
            let repeated = sentences.unsqueeze(axis: 0).expand([n, b, t]).reshape([n * b, t])
            var columns: [Tensor] = []
            for given in 1..<max(t, 1) {
                // The state after the start token and tokens 0..<given-1; feeding token given-1
                // predicts token `given`, the first sampled one.
                let s = states[given - 1]
                let h = s.h.unsqueeze(axis: 0).expand([n, b, s.h.shape[1]]).reshape([n * b, -1])
                let c = s.c.unsqueeze(axis: 0).expand([n, b, s.c.shape[1]]).reshape([n * b, -1])
                let last = repeated.select(axis: 1, index: given - 1)
                let rest = policy.continueSampling(last, state: (h, c), steps: t - given, temperature: temperature, generator: generator)
                let full = Tensor.concat([repeated.slice(axis: 1, start: 0, end: given), rest], axis: 1)
                columns.append(score(full).reshape([n, b]).mean(axis: 0))
            }
            columns.append(score(sentences).reshape([b]))
            return Tensor.stack(columns, axis: 1)
        }
    }
}
