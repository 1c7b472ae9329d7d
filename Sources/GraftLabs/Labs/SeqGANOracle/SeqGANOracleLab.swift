import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// SeqGAN's synthetic experiment (Yu, Zhang, Wang and Yu 2017, section 5 and table 1): an
/// oracle LSTM with N(0, 1) weights plays the real world; 10,000 of its sequences of length 20
/// are the training data; a generator of the same size is pre-trained by maximum likelihood and
/// then trained further in each of the course's ways: more MLE, REINFORCE with BLEU against the
/// data as the reward (PG-BLEU), SeqGAN (Monte-Carlo rollout rewards from a CNN discriminator),
/// step-wise rewards from a prefix discriminator (REGS), and the continuous route (Gumbel-softmax
/// outputs into a WGAN-GP critic, and softmax outputs into a standard GAN discriminator, which
/// can tell soft from one-hot inputs). NLL-oracle (the oracle's mean NLL of G's samples: quality)
/// and NLL-gen (G's NLL of held-out oracle sequences: coverage) measure each.
public struct SeqGANOracleLab: Lab {
    /// "seqgan-oracle".
    public let name = "seqgan-oracle"
    /// The title.
    public let title = "SeqGAN's oracle experiment: MLE, PG-BLEU, SeqGAN, step-wise and continuous GANs"
    /// The claim.
    public let claim = """
        On data from a known oracle LSTM, adversarial training after MLE pre-training (SeqGAN's rollout rewards) gives \
        samples the oracle finds more likely (lower NLL-oracle) than more MLE or PG-BLEU.
        """
    /// Synthetic: the oracle is generated from the seed.
    public let datasets: [String] = []

    /// The lab.
    public init() {}

    /// SeqGAN's table 1: a random generator's NLL-oracle (synthetic data, vocabulary 5,000, length 20).
    static let paperRandomNLL = 10.310

    /// The methods after pre-training, in report order.
    enum Method: String, LabMethod {
        /// More maximum-likelihood steps.
        case mle = "MLE"
        /// REINFORCE with BLEU against the training data as the reward.
        case pgBLEU = "PG-BLEU"
        /// Monte-Carlo rollout rewards from a CNN discriminator.
        case seqGAN = "SeqGAN"
        /// Step-wise rewards from a prefix discriminator (REGS).
        case stepwise = "step-wise D"
        /// Gumbel-softmax outputs into a WGAN-GP critic.
        case wganGP = "WGAN-GP (Gumbel)"
        /// Softmax outputs into a standard GAN discriminator.
        case softmaxGAN = "GAN (softmax)"

        /// SeqGAN's table 1, NLL-oracle after training (synthetic data, vocabulary 5,000, length 20).
        var paper: Double? {
            switch self {
            case .mle: 9.038
            case .pgBLEU: 8.946
            case .seqGAN: 8.736
            case .stepwise, .wganGP, .softmaxGAN: nil
            }
        }
    }

    /// The lab's curves.
    struct Curves {
        /// MLE pre-training: NLL-oracle, NLL-gen and the training NLL per epoch.
        let pretraining: CurveHandle
        /// NLL-oracle of each method after pre-training.
        let oracle: CurveHandle
        /// NLL-gen of each method after pre-training.
        let gen: CurveHandle

        /// The curves of `context`'s run.
        init(_ context: LabContext) {
            pretraining = context.curve("pre-training", x: "MLE epoch", y: "NLL")
            oracle = context.curve("NLL-oracle", x: "generator step after pre-training", y: "NLL-oracle")
            gen = context.curve("NLL-gen", x: "generator step after pre-training", y: "NLL-gen")
        }
    }

    /// The sizes of a run.
    struct Sizes {
        var settings: SequenceGANSettings
        /// Oracle sequences for training, held out for NLL-gen, and G samples for NLL-oracle.
        var train: Int, heldOut: Int, evaluation: Int
        /// MLE pre-training epochs; adversarial generator steps; steps between evaluations.
        var pretrainEpochs: Int, adversarialSteps: Int, evalEvery: Int
        /// Real sequences per discriminator round (as many fakes); discriminator pre-training rounds.
        var discriminatorSamples: Int, discriminatorPretrain: Int
        /// Training sequences serving as PG-BLEU's references.
        var bleuReferences: Int
        /// G samples scored by BLEU against the held-out sequences, and the first of them scored by self-BLEU.
        var textSamples: Int, selfBLEUSamples: Int
    }

    /// BLEU-2..5 of a generator's samples against held-out oracle sequences, self-BLEU-3 among
    /// them (higher: less diverse) and their distinct-2.
    struct TextScores: Codable { let bleu: [Double], selfBLEU: Double, distinct2: Double }

    /// What a method's training loop leaves for the report: its final NLLs and text scores (set
    /// at the last step) and, for the continuous methods, the last critic loss.
    struct MethodOutcome: Codable {
        var oracle: Double?, gen: Double?, text: TextScores?, critic: Double?
    }

    static func sizes(quick: Bool) -> Sizes {
        var s = SequenceGANSettings()
        if quick {
            s.vocabulary = 80; s.length = 10; s.generatorEmbedding = 16; s.generatorHidden = 16; s.batchSize = 32
            s.discriminatorEmbedding = 16; s.discriminatorWidths = [1, 2, 3, 4, 5]; s.discriminatorMaps = [8, 8, 8, 8, 8]
            s.rollouts = 2; s.prefixHidden = 16; s.criticSteps = 2; s.discriminatorLearningRate = 1e-3
            return Sizes(settings: s, train: 400, heldOut: 200, evaluation: 200, pretrainEpochs: 6, adversarialSteps: 6, evalEvery: 3,
                         discriminatorSamples: 128, discriminatorPretrain: 2, bleuReferences: 50,
                         textSamples: 100, selfBLEUSamples: 50)
        }
        // The paper's oracle, data and generator; the discriminator at a quarter of its feature
        // maps and 8 rollouts instead of 16, to fit the run in about half an hour on 2 cores.
        s.discriminatorMaps = SequenceDiscriminator.paperMaps.map { $0 / 4 }
        s.rollouts = 8
        return Sizes(settings: s, train: 10_000, heldOut: 2_000, evaluation: 2_000, pretrainEpochs: 40, adversarialSteps: 100, evalEvery: 10,
                     discriminatorSamples: 1_024, discriminatorPretrain: 10, bleuReferences: 200,
                     textSamples: 1_000, selfBLEUSamples: 200)
    }

    /// Runs the experiment for `options.seed`.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick)
        let s = sizes.settings
        let seed = context.options.seed
        let oracle = TokenGenerator.oracle(vocabulary: s.vocabulary, embedding: s.generatorEmbedding, hidden: s.generatorHidden, seed: seed &+ 1)
        let data = oracle.sample(count: sizes.train, length: s.length, generator: RandomGenerator(seed: seed &+ 2))
        let heldOut = oracle.sample(count: sizes.heldOut, length: s.length, generator: RandomGenerator(seed: seed &+ 3))
        let evalRandom = RandomGenerator(seed: seed &+ 4)
        func evaluate(_ g: TokenGenerator) -> (oracle: Double, gen: Double) {
            let samples = g.sample(count: sizes.evaluation, length: s.length, generator: evalRandom)
            return (Double(noGrad { oracle.nll(samples) }.item), Double(noGrad { g.nll(heldOut) }.item))
        }
        context.planSteps(sizes.pretrainEpochs + sizes.discriminatorPretrain + Method.all.count * sizes.adversarialSteps)
        let curves = Curves(context)

        // Pre-training: G by MLE, then D against G's samples; every method starts from these.
        let base = SequenceGANTrainer(settings: s, seed: seed &+ 5)
        let random = evaluate(base.generatorNet)
        context.metric("random generator NLL-oracle", random.oracle, paper: Self.paperRandomNLL,
                       note: "SeqGAN table 1; the paper's oracle is its own N(0, 1) draw, ours another, so only the ordering is comparable")
        // One step per epoch; the evaluation samples' generator is tracked too, as every step draws from it.
        try context.train("MLE pre-training", steps: sizes.pretrainEpochs, tracking: ["trainer": base, "evaluation samples": evalRandom]) { step in
            let loss = try base.mleEpoch(data)
            let nll = evaluate(base.generatorNet)
            let epoch = Double(step.number)
            step.log(curves.pretraining, series: "NLL-oracle", x: epoch, y: nll.oracle)
            step.log(curves.pretraining, series: "NLL-gen (held-out)", x: epoch, y: nll.gen)
            step.log(curves.pretraining, series: "training NLL", x: epoch, y: loss)
            return ["NLL": loss]
        }
        let pretrained = evaluate(base.generatorNet)
        context.metric("pre-trained NLL-oracle", pretrained.oracle)
        context.metric("pre-trained NLL-gen", pretrained.gen)
        context.metric("oracle's own NLL-oracle", Double(noGrad { oracle.nll(heldOut) }.item),
                       note: "the oracle's NLL of its own samples: the floor a perfect generator would reach")
        try context.train("discriminator pre-training", steps: sizes.discriminatorPretrain, tracking: ["trainer": base]) { _ in
            let d = try base.discriminatorRound(real: subset(data, sizes.discriminatorSamples, base.random), epochs: 1)
            let prefix = try base.prefixDiscriminatorRound(real: subset(data, sizes.discriminatorSamples, base.random), epochs: 1)
            return ["D": d, "prefix D": prefix]
        }
        let references = try BLEUReferenceSet((0..<sizes.bleuReferences).map { tokens(data.select(axis: 0, index: $0)) }, maxOrder: 4)
        // BLEU-2..5 of G's samples against held-out oracle sequences (quality) and self-BLEU (diversity).
        let heldOutSet = try BLEUReferenceSet((0..<heldOut.shape[0]).map { tokens(heldOut.select(axis: 0, index: $0)) }, maxOrder: 5)
        let textRandom = RandomGenerator(seed: seed &+ 6)
        func textScores(_ g: TokenGenerator) throws -> TextScores {
            let samples = g.sample(count: sizes.textSamples, length: s.length, generator: textRandom)
            let rows = (0..<samples.shape[0]).map { tokens(samples.select(axis: 0, index: $0)) }
            return TextScores(bleu: try (2...5).map { try heldOutSet.corpus(rows, order: $0, smoothing: .method1).score },
                              selfBLEU: try BLEU.selfBLEU(Array(rows.prefix(sizes.selfBLEUSamples)), maxOrder: 3),
                              distinct2: ResponseDiversity.distinct(rows.map { $0.map(String.init) }, n: 2))
        }
        let pretrainedText = try textScores(base.generatorNet)

        var finals: [Method: (oracle: Double, gen: Double)] = [:]
        var text: [Method: TextScores] = [:]
        var criticLoss: [Method: Double] = [:]
        for (m, method) in Method.all.enumerated() {
            let t = SequenceGANTrainer(settings: s, seed: seed &+ 100 &+ UInt64(m))
            t.generatorNet.follow(base.generatorNet, rate: 0)
            t.rolloutNet.follow(base.generatorNet, rate: 0)
            try t.discriminator.load(stateDict: base.discriminator.stateDict())
            try t.prefixDiscriminator.load(stateDict: base.prefixDiscriminator.stateDict())
            context.log(curves.oracle, series: method.rawValue, x: 0, y: pretrained.oracle)
            let outcome = Tracked(MethodOutcome())
            let tracking: KeyValuePairs<String, any Resumable> = ["trainer": t, "evaluation samples": evalRandom, "text samples": textRandom,
                                                                  "outcome": outcome]
            try context.train(method.rawValue, steps: sizes.adversarialSteps, tracking: tracking) { step in
                let loss: Double
                switch method {
                case .mle:
                    let idx = Tensor(indices: (0..<s.batchSize).map { _ in t.random.nextInt(below: sizes.train) })
                    let nll = t.generatorNet.nll(data.indexSelect(axis: 0, indices: idx))
                    loss = Double(nll.item)
                    guard loss.isFinite else { return ["loss": loss] }
                    t.generatorOptimizer.zeroGrad(); nll.backward(); t.generatorOptimizer.step()
                case .pgBLEU:
                    loss = try t.policyGradientStep(useBaseline: true) { samples in
                        Tensor((0..<samples.shape[0]).map { i in
                            Float((try? references.sentence(tokens(samples.select(axis: 0, index: i)))) ?? 0)
                        })
                    }
                case .seqGAN:
                    loss = try t.seqGANStep()
                    try t.discriminatorRound(real: subset(data, sizes.discriminatorSamples, t.random), epochs: 1)
                case .stepwise:
                    loss = try t.stepwiseStep()
                    try t.prefixDiscriminatorRound(real: subset(data, sizes.discriminatorSamples, t.random), epochs: 1)
                case .wganGP:
                    loss = try t.continuousStep(real: data, mode: .gumbel, wasserstein: true)
                    outcome.value.critic = loss
                case .softmaxGAN:
                    loss = try t.continuousStep(real: data, mode: .softmax, wasserstein: false)
                    outcome.value.critic = loss
                }
                guard step.number % sizes.evalEvery == 0 || step.isLast else { return ["loss": loss] }
                let nll = evaluate(t.generatorNet)
                let x = Double(step.number)
                step.log(curves.oracle, series: method.rawValue, x: x, y: nll.oracle)
                step.log(curves.gen, series: method.rawValue, x: x, y: nll.gen)
                if step.isLast && nll.oracle.isFinite && nll.gen.isFinite {
                    outcome.value.oracle = nll.oracle
                    outcome.value.gen = nll.gen
                    outcome.value.text = try textScores(t.generatorNet)
                }
                return ["loss": loss, "NLL-oracle": nll.oracle, "NLL-gen": nll.gen]
            }
            if let oracle = outcome.value.oracle, let gen = outcome.value.gen { finals[method] = (oracle, gen) }
            if let scores = outcome.value.text { text[method] = scores }
            if let critic = outcome.value.critic { criticLoss[method] = critic }
        }
        record(finals, text: text, pretrainedText: pretrainedText, criticLoss: criticLoss, random: random, pretrained: pretrained,
               sizes: sizes, curves: curves, context: context)
    }

    /// `count` rows of `data` drawn with replacement.
    func subset(_ data: Tensor, _ count: Int, _ random: RandomGenerator) -> Tensor {
        data.indexSelect(axis: 0, indices: Tensor(indices: (0..<count).map { _ in random.nextInt(below: data.shape[0]) }))
    }

    /// A token row as whole numbers.
    func tokens(_ row: Tensor) -> [Int] { row.scalars.map { Int($0) } }

    /// Metrics, figures and notes from the final numbers.
    func record(_ finals: [Method: (oracle: Double, gen: Double)], text: [Method: TextScores], pretrainedText: TextScores,
                criticLoss: [Method: Double], random: (oracle: Double, gen: Double), pretrained: (oracle: Double, gen: Double),
                sizes: Sizes, curves: Curves, context: LabContext) {
        let s = sizes.settings
        context.note("""
            Oracle: an LSTM with embedding and hidden size \(s.generatorEmbedding), every weight N(0, 1), over \(s.vocabulary) tokens; \
            \(sizes.train) training sequences of length \(s.length), \(sizes.heldOut) held out for NLL-gen, \(sizes.evaluation) generator \
            samples (temperature 1, as in every sample of this lab) scored by the oracle for NLL-oracle. G: the same architecture, \
            \(sizes.pretrainEpochs) epochs of MLE pre-training (Adam \(s.generatorLearningRate)), then \(sizes.adversarialSteps) generator \
            steps of each method from the same pre-trained G and D. D: the paper's window widths \(s.discriminatorWidths) with \
            \(s.discriminatorMaps.reduce(0, +)) feature maps and a highway layer; one pass over \(sizes.discriminatorSamples) real and as \
            many generated sequences after each SeqGAN or step-wise step; \(s.rollouts) rollouts per prefix.
            """)
        for method in Method.all {
            guard let f = finals[method] else { continue }
            context.metric("\(method.rawValue) NLL-oracle", f.oracle, paper: method.paper,
                           note: method.paper == nil ? nil : "SeqGAN table 1 (its oracle, 200 adversarial epochs)")
            context.metric("\(method.rawValue) NLL-gen", f.gen)
        }
        // The pre-trained generator, then each method's, where it ended with finite NLLs.
        let scored: [(name: String, scores: TextScores)] = [("pre-trained", pretrainedText)]
            + Method.all.compactMap { m in text[m].map { (m.rawValue, $0) } }
        for (name, t) in scored {
            for (k, b) in t.bleu.enumerated() { context.metric("\(name) BLEU-\(k + 2)", 100 * b) }
            context.metric("\(name) self-BLEU-3", 100 * t.selfBLEU)
            context.metric("\(name) distinct-2", t.distinct2)
        }
        let one = { (v: Double) in String(format: "%.1f", v) }
        context.figure(.table(header: ["generator", "BLEU-2", "BLEU-3", "BLEU-4", "BLEU-5", "self-BLEU-3", "distinct-2"],
                              rows: scored.map { name, t in
                                  [name] + t.bleu.map { one(100 * $0) } + [one(100 * t.selfBLEU), String(format: "%.3f", t.distinct2)]
                              },
                              caption: """
                                \(sizes.textSamples) samples of each generator (temperature 1) against the \(sizes.heldOut) held-out \
                                oracle sequences: BLEU-n ×100 (quality; smoothing method 1), self-BLEU-3 ×100 among the first \
                                \(sizes.selfBLEUSamples) (higher: the samples repeat each other) and distinct-2. NLL-oracle alone rewards a \
                                generator that drops modes; self-BLEU and NLL-gen show it.
                                """))
        for (method, loss) in criticLoss.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            context.metric("\(method.rawValue) final critic loss", loss)
        }
        context.figure(.curve(curves.pretraining, caption: "MLE pre-training: the oracle's NLL of G's samples (quality), G's NLL of held-out "
                                  + "oracle sequences (coverage) and the training NLL, per epoch."))
        context.figure(.curve(curves.oracle, caption: "NLL-oracle during the training after pre-training, per method "
                                  + "(lower is better; SeqGAN's figure 2)."))
        context.figure(.curve(curves.gen, caption: "NLL-gen (G's NLL of held-out oracle sequences) per method: a method that lowers "
                                  + "NLL-oracle by dropping modes raises this."))
        let ranked = Method.all.compactMap { m in finals[m].map { (m, $0.oracle) } }.sorted { $0.1 < $1.1 }
        if let best = ranked.first, let mle = finals[.mle], let seqgan = finals[.seqGAN] {
            let f = { (v: Double) in String(format: "%.3f", v) }
            let order = ranked.map { "\($0.0.rawValue) \(f($0.1))" }.joined(separator: ", ")
            let below = seqgan.oracle < mle.oracle
            let gens = Method.all.compactMap { m in finals[m].map { "\(m.rawValue) \(f($0.gen))" } }.joined(separator: ", ")
            context.note("""
                Pre-training took NLL-oracle from \(f(random.oracle)) (random G) to \(f(pretrained.oracle)). After \
                \(sizes.adversarialSteps) more steps: \(order). SeqGAN ended \(f(abs(mle.oracle - seqgan.oracle))) \
                \(below ? "below" : "above") continued MLE\(below ? ", the paper's ordering" : "; the paper found it 0.30 below"); \
                the lowest was \(best.0.rawValue). NLL-gen went from \(f(pretrained.gen)) to \(gens).
                """)
        }
        if let soft = criticLoss[.softmaxGAN] {
            context.note(String(format: """
                The standard GAN discriminator fed G's softmax outputs against one-hot real tokens ended with a loss of %.4f \
                (log 4 = 1.386 at chance): it tells soft from one-hot inputs apart, the course's reason to use a WGAN critic for \
                continuous inputs.
                """, soft))
        }
    }
}
