import Graft
import GraftNN
import GraftRecipes

/// One timed training step of the reference benchmark.
public struct BenchStep {
    /// The reference script's row name, e.g. "seqgan_gen_mle_step".
    public let name: String
    /// What the step does.
    public let description: String
    /// Runs one step.
    public let run: () -> Void
    /// Seconds of work per repetition (the rollout is long: 2 s like the reference).
    public let targetSeconds: Double
}

/// The rows of ../shared/perf/torch_bench.py, at its shapes, built with Graft.
public enum BenchSuite {
    /// Every row name, in the reference's order.
    public static let names = ["seqgan_gen_mle_step", "seqgan_gen_sample64", "seqgan_gen_pg_step", "seqgan_dis_step",
                               "seqgan_dis_fwd", "seqgan_rollout16", "dann_cnn_step", "dann_full_step",
                               "mlp_step_sgd", "mlp_step_adam", "seq2seq_step"]

    /// Builds the steps named in `only` (all when empty), with models and data from `seed`.
    /// `rollouts` sets the Monte-Carlo rollouts of seqgan_rollout16 (16 in the reference; 1 for a quick run).
    public static func make(only: Set<String> = [], seed: UInt64 = 0, rollouts: Int = 16) -> [BenchStep] {
        let g = RandomGenerator(seed: seed)
        var steps: [BenchStep] = []
        func want(_ n: String) -> Bool { only.isEmpty || only.contains(n) }

        // SeqGAN: V 5000, E 32, H 32, L 20, B 64.
        let (v, e, h, l, b) = (5000, 32, 32, 20, 64)
        let needsSeqGAN = names.prefix(6).contains(where: want)
        if needsSeqGAN {
            let gen = BenchGenerator(vocabulary: v, embedding: e, hidden: h, generator: g)
            let gopt = Adam(gen.namedParameters(), learningRate: 0.01)
            let data = Tensor.uniform([b, l], low: 1, high: Float(v), generator: g).floorIndices()
            let inp = Tensor.concat([Tensor.ones([b, 1]), data.slice(axis: 1, start: 0, end: l - 1)], axis: 1)
            let dis = BenchDiscriminator(vocabulary: v, generator: g)
            let dopt = Adam(dis.namedParameters(), learningRate: 1e-4)
            let dx = Tensor.uniform([b, l], low: 1, high: Float(v), generator: g).floorIndices()
            let dy = Tensor.uniform([b], low: 0, high: 2, generator: g).floorIndices()
            let reward = Tensor.uniform([b, l], generator: g)
            let sampler = RandomGenerator(seed: seed &+ 1)
            let sentences = gen.sample(from: Tensor.ones([b, 1]), state: nil, steps: l, generator: sampler)

            steps.append(BenchStep(name: "seqgan_gen_mle_step", description: "LSTM gen E32 H32 V5000 L20 B64: fwd+bwd+clip+Adam", run: {
                gopt.zeroGrad()
                let (logits, _) = gen(inp)
                Loss.crossEntropy(logits, data.reshape([-1])).backward()
                GradientClipping.clipByGlobalNorm(gen.parameters(), maxNorm: 5)
                gopt.step()
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "seqgan_gen_sample64", description: "sample 64 seqs x 20 tokens", run: {
                _ = gen.sample(from: Tensor.ones([64, 1]), state: nil, steps: l, generator: sampler)
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "seqgan_gen_pg_step", description: "policy-gradient loss step, B64 L20, Adam", run: {
                gopt.zeroGrad()
                let (logits, _) = gen(inp)
                let logp = logits.logSoftmax(axis: -1).reshape([b, l, v])
                let picked = logp.gather(axis: 2, index: data.unsqueeze(axis: 2)).squeeze(axis: 2)
                (-(picked * reward).sum()).backward()
                gopt.step()
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "seqgan_dis_step", description: "SeqGAN CNN dis (emb64, 1720 maps, highway) B64: fwd+bwd+clip+Adam", run: {
                dopt.zeroGrad()
                Loss.crossEntropy(dis(dx), dy).backward()
                GradientClipping.clipByGlobalNorm(dis.parameters(), maxNorm: 5)
                dopt.step()
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "seqgan_dis_fwd", description: "dis forward only, B64", run: {
                dis.eval()
                _ = noGrad { dis(dx) }
                dis.train()
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "seqgan_rollout16", description: "MC rollout reward, \(rollouts) rollouts x 20 prefixes, B64", run: {
                _ = rolloutReward(gen, dis, sentences, rollouts: rollouts, generator: sampler)
            }, targetSeconds: 2))
        }

        // DANN MNIST CNN.
        if want("dann_cnn_step") || want("dann_full_step") {
            let feat = BenchFeatures(generator: g)
            let label = Sequential(Linear(768, 100, generator: g), ReLU(), Linear(100, 100, generator: g), ReLU(), Linear(100, 10, generator: g))
            let domain = Sequential(Linear(768, 100, generator: g), ReLU(), Linear(100, 2, generator: g))
            let classifier = feat.namedParameters().map { ("feat." + $0.name, $0.tensor) }
                + label.namedParameters().map { ("label." + $0.name, $0.tensor) }
            let copt = SGD(classifier, learningRate: 0.01, momentum: 0.9)
            let dopt = SGD(classifier + domain.namedParameters().map { ("domain." + $0.name, $0.tensor) }, learningRate: 0.01, momentum: 0.9)
            let xs = Tensor.randn([128, 1, 28, 28], generator: g), xt = Tensor.randn([128, 1, 28, 28], generator: g)
            let ys = Tensor.uniform([128], low: 0, high: 10, generator: g).floorIndices()
            let domains = Tensor.concat([Tensor.zeros([128]), Tensor.ones([128])])
            steps.append(BenchStep(name: "dann_cnn_step", description: "conv5x5x32-pool-conv5x5x48-pool-fc100-fc100-10, B128, SGD-mom", run: {
                copt.zeroGrad()
                Loss.crossEntropy(label(feat(xs)), ys).backward()
                copt.step()
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "dann_full_step", description: "same + GRL + domain head 768-100-2, 128 src + 128 tgt, SGD-mom", run: {
                dopt.zeroGrad()
                let f = feat(Tensor.concat([xs, xt]))
                let loss = Loss.crossEntropy(label(f.slice(axis: 0, start: 0, end: 128)), ys)
                    + Loss.crossEntropy(domain(f.gradientReversal(scale: 0.1)), domains)
                loss.backward()
                dopt.step()
            }, targetSeconds: 0.5))
        }

        // MLP 784-256-256-10.
        if want("mlp_step_sgd") || want("mlp_step_adam") {
            let mlp = Sequential(Linear(784, 256, generator: g), ReLU(), Linear(256, 256, generator: g), ReLU(), Linear(256, 10, generator: g))
            let sgd = SGD(mlp.namedParameters(), learningRate: 0.01, momentum: 0.9)
            let adam = Adam(mlp.namedParameters(), learningRate: 1e-3)
            let xm = Tensor.randn([128, 784], generator: g)
            let ym = Tensor.uniform([128], low: 0, high: 10, generator: g).floorIndices()
            steps.append(BenchStep(name: "mlp_step_sgd", description: "MLP 784-256-256-10 B128, SGD-mom", run: {
                sgd.zeroGrad(); Loss.crossEntropy(mlp(xm), ym).backward(); sgd.step()
            }, targetSeconds: 0.5))
            steps.append(BenchStep(name: "mlp_step_adam", description: "MLP 784-256-256-10 B128, Adam", run: {
                adam.zeroGrad(); Loss.crossEntropy(mlp(xm), ym).backward(); adam.step()
            }, targetSeconds: 0.5))
        }

        // LSTM seq2seq E128 H256 V8000, 20 tokens each side, B32.
        if want("seq2seq_step") {
            let s2s = BenchSeq2Seq(vocabulary: 8000, embedding: 128, hidden: 256, generator: g)
            let opt = Adam(s2s.namedParameters(), learningRate: 1e-3)
            let src = Tensor.uniform([32, 20], low: 0, high: 8000, generator: g).floorIndices()
            let tgt = Tensor.uniform([32, 21], low: 0, high: 8000, generator: g).floorIndices()
            let tin = tgt.slice(axis: 1, start: 0, end: 20), tout = tgt.slice(axis: 1, start: 1)
            steps.append(BenchStep(name: "seq2seq_step", description: "LSTM enc-dec E128 H256 V8000 src/tgt 20 B32, Adam", run: {
                opt.zeroGrad()
                Loss.crossEntropy(s2s(src, tin), tout).backward()
                opt.step()
            }, targetSeconds: 0.5))
        }
        let order = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        return steps.filter { want($0.name) }.sorted { order[$0.name]! < order[$1.name]! }
    }

    /// SeqGAN's Monte-Carlo rollout reward as in TextGAN's ROLLOUT.get_reward: for each prefix
    /// length and each of `rollouts` rollouts, complete the sentences by sampling and average
    /// the discriminator's probability of "real"; returns [B, L]. Built on GraftRecipes'
    /// `MonteCarloRollout` with a `FrozenSequenceScorer`: each prefix is continued from its
    /// LSTM state (computed once per sentence instead of re-running the prefix), the rollouts of
    /// one prefix length run as one batch of B * rollouts sequences (the same draws in
    /// distribution as TextGAN's loop over rollouts), the full sentences, identical in every
    /// rollout, are scored once, and D, frozen for the call, is scored from per-token
    /// convolution tables with the prefix windows shared by a sentence's rollouts.
    public static func rolloutReward(_ gen: BenchGenerator, _ dis: BenchDiscriminator, _ sentences: Tensor,
                                     rollouts: Int, generator: RandomGenerator) -> Tensor {
        noGrad {
            let l = sentences.shape[1]
            let cell = gen.lstm.cells[0]
            // The reference feeds the sentence from the zero state (no start token): state t is
            // the one after tokens 0..<t, from which token t predicts token t + 1.
            let gates = cell.inputGates(gen.embedding(sentences))
            var state = (h: Tensor.zeros([sentences.shape[0], cell.hiddenSize]), c: Tensor.zeros([sentences.shape[0], cell.hiddenSize]))
            var states = [state]
            for t in 0..<max(0, l - 2) {
                state = cell.step(inputGates: gates.select(axis: 1, index: t), state: state)
                states.append(state)
            }
            return MonteCarloRollout(rollouts: rollouts).rewards(for: sentences, prefixStates: states,
                                                                 scorer: dis.rolloutScorer()) { last, start, steps in
                var input = last, s = start
                var tokens: [Tensor] = []
                for _ in 0..<steps {
                    s = cell.step(inputGates: cell.inputGates(gen.embedding(input)), state: s)
                    input = Tensor.categorical(features: s.h, weight: gen.output.weight, bias: gen.output.bias, generator: generator)
                    tokens.append(input)
                }
                return Tensor.stack(tokens, axis: 1)
            }
        }
    }
}

extension Tensor {
    /// Whole numbers below each value (for random index data).
    func floorIndices() -> Tensor {
        Tensor(scalars.map { $0.rounded(.down) }, shape: shape)
    }
}
