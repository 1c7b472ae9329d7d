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
    public let claim = "On data from a known oracle LSTM, adversarial training after MLE pre-training (SeqGAN's rollout rewards) gives samples the oracle finds more likely (lower NLL-oracle) than more MLE or PG-BLEU."
    /// Synthetic: the oracle is generated from the seed.
    public let datasets: [String] = []

    /// The lab.
    public init() {}

    /// SeqGAN's table 1, NLL-oracle after training (synthetic data, vocabulary 5,000, length 20).
    static let paperNLL: [String: Double] = ["random": 10.310, "MLE": 9.038, "PG-BLEU": 8.946, "SeqGAN": 8.736]

    /// The methods after pre-training, in report order.
    static let methods = ["MLE", "PG-BLEU", "SeqGAN", "step-wise D", "WGAN-GP (Gumbel)", "GAN (softmax)"]

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
        context.planSteps(sizes.pretrainEpochs + sizes.discriminatorPretrain + Self.methods.count * sizes.adversarialSteps)

        // Pre-training: G by MLE, then D against G's samples; every method starts from these.
        let base = SequenceGANTrainer(settings: s, seed: seed &+ 5)
        let random = evaluate(base.generatorNet)
        context.metric("random generator NLL-oracle", random.oracle, paper: Self.paperNLL["random"],
                       note: "SeqGAN table 1; the paper's oracle is its own N(0, 1) draw, ours another, so only the ordering is comparable")
        // One step per epoch; the evaluation samples' generator is tracked too, as every step draws from it.
        try context.train("MLE pre-training", steps: sizes.pretrainEpochs, tracking: ["trainer": base, "evaluation samples": evalRandom]) { step in
            let loss = try base.mleEpoch(data)
            let nll = evaluate(base.generatorNet)
            let epoch = Double(step.number)
            step.log("pre-training", series: "NLL-oracle", x: epoch, y: nll.oracle, xLabel: "MLE epoch", yLabel: "NLL")
            step.log("pre-training", series: "NLL-gen (held-out)", x: epoch, y: nll.gen, xLabel: "MLE epoch", yLabel: "NLL")
            step.log("pre-training", series: "training NLL", x: epoch, y: loss, xLabel: "MLE epoch", yLabel: "NLL")
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
        var text: [String: TextScores] = ["pre-trained": try textScores(base.generatorNet)]

        var finals: [String: (oracle: Double, gen: Double)] = [:]
        var criticLoss: [String: Double] = [:]
        for (m, method) in Self.methods.enumerated() {
            let t = SequenceGANTrainer(settings: s, seed: seed &+ 100 &+ UInt64(m))
            t.generatorNet.follow(base.generatorNet, rate: 0)
            t.rolloutNet.follow(base.generatorNet, rate: 0)
            try t.discriminator.load(stateDict: base.discriminator.stateDict())
            try t.prefixDiscriminator.load(stateDict: base.prefixDiscriminator.stateDict())
            context.log("NLL-oracle", series: method, x: 0, y: pretrained.oracle, xLabel: "generator step after pre-training", yLabel: "NLL-oracle")
            let outcome = Tracked(MethodOutcome())
            try context.train(method, steps: sizes.adversarialSteps,
                              tracking: ["trainer": t, "evaluation samples": evalRandom, "text samples": textRandom, "outcome": outcome]) { step in
                let loss: Double
                switch method {
                case "MLE":
                    let idx = Tensor(indices: (0..<s.batchSize).map { _ in t.random.nextInt(below: sizes.train) })
                    let nll = t.generatorNet.nll(data.indexSelect(axis: 0, indices: idx))
                    loss = Double(nll.item)
                    guard loss.isFinite else { return ["loss": loss] }
                    t.generatorOptimizer.zeroGrad(); nll.backward(); t.generatorOptimizer.step()
                case "PG-BLEU":
                    loss = try t.policyGradientStep(useBaseline: true) { samples in
                        Tensor((0..<samples.shape[0]).map { i in
                            Float((try? references.sentence(tokens(samples.select(axis: 0, index: i)))) ?? 0)
                        })
                    }
                case "SeqGAN":
                    loss = try t.seqGANStep()
                    try t.discriminatorRound(real: subset(data, sizes.discriminatorSamples, t.random), epochs: 1)
                case "step-wise D":
                    loss = try t.stepwiseStep()
                    try t.prefixDiscriminatorRound(real: subset(data, sizes.discriminatorSamples, t.random), epochs: 1)
                case "WGAN-GP (Gumbel)":
                    loss = try t.continuousStep(real: data, mode: .gumbel, wasserstein: true)
                    outcome.value.critic = loss
                default:
                    loss = try t.continuousStep(real: data, mode: .softmax, wasserstein: false)
                    outcome.value.critic = loss
                }
                guard step.number % sizes.evalEvery == 0 || step.isLast else { return ["loss": loss] }
                let nll = evaluate(t.generatorNet)
                let x = Double(step.number)
                step.log("NLL-oracle", series: method, x: x, y: nll.oracle, xLabel: "generator step after pre-training", yLabel: "NLL-oracle")
                step.log("NLL-gen", series: method, x: x, y: nll.gen, xLabel: "generator step after pre-training", yLabel: "NLL-gen")
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
        record(finals, text: text, criticLoss: criticLoss, random: random, pretrained: pretrained, sizes: sizes, context: context)
    }

    /// `count` rows of `data` drawn with replacement.
    func subset(_ data: Tensor, _ count: Int, _ random: RandomGenerator) -> Tensor {
        data.indexSelect(axis: 0, indices: Tensor(indices: (0..<count).map { _ in random.nextInt(below: data.shape[0]) }))
    }

    /// A token row as whole numbers.
    func tokens(_ row: Tensor) -> [Int] { row.scalars.map { Int($0) } }

    /// Metrics, figures and notes from the final numbers.
    func record(_ finals: [String: (oracle: Double, gen: Double)], text: [String: TextScores], criticLoss: [String: Double], random: (oracle: Double, gen: Double),
                pretrained: (oracle: Double, gen: Double), sizes: Sizes, context: LabContext) {
        let s = sizes.settings
        context.note("Oracle: an LSTM with embedding and hidden size \(s.generatorEmbedding), every weight N(0, 1), over \(s.vocabulary) tokens; \(sizes.train) training sequences of length \(s.length), \(sizes.heldOut) held out for NLL-gen, \(sizes.evaluation) generator samples (temperature 1, as in every sample of this lab) scored by the oracle for NLL-oracle. G: the same architecture, \(sizes.pretrainEpochs) epochs of MLE pre-training (Adam \(s.generatorLearningRate)), then \(sizes.adversarialSteps) generator steps of each method from the same pre-trained G and D. D: the paper's window widths \(s.discriminatorWidths) with \(s.discriminatorMaps.reduce(0, +)) feature maps and a highway layer; one pass over \(sizes.discriminatorSamples) real and as many generated sequences after each SeqGAN or step-wise step; \(s.rollouts) rollouts per prefix.")
        for method in Self.methods {
            guard let f = finals[method] else { continue }
            context.metric("\(method) NLL-oracle", f.oracle, paper: Self.paperNLL[method], note: Self.paperNLL[method] == nil ? nil : "SeqGAN table 1 (its oracle, 200 adversarial epochs)")
            context.metric("\(method) NLL-gen", f.gen)
        }
        for method in ["pre-trained"] + Self.methods {
            guard let t = text[method] else { continue }
            for (k, b) in t.bleu.enumerated() { context.metric("\(method) BLEU-\(k + 2)", 100 * b) }
            context.metric("\(method) self-BLEU-3", 100 * t.selfBLEU)
            context.metric("\(method) distinct-2", t.distinct2)
        }
        context.figure(.table(header: ["generator", "BLEU-2", "BLEU-3", "BLEU-4", "BLEU-5", "self-BLEU-3", "distinct-2"],
                              rows: (["pre-trained"] + Self.methods).compactMap { m in
                                  text[m].map { t in [m] + t.bleu.map { String(format: "%.1f", 100 * $0) } + [String(format: "%.1f", 100 * t.selfBLEU), String(format: "%.3f", t.distinct2)] }
                              },
                              caption: "\(sizes.textSamples) samples of each generator (temperature 1) against the \(sizes.heldOut) held-out oracle sequences: BLEU-n ×100 (quality; smoothing method 1), self-BLEU-3 ×100 among the first \(sizes.selfBLEUSamples) (higher: the samples repeat each other) and distinct-2. NLL-oracle alone rewards a generator that drops modes; self-BLEU and NLL-gen show it."))
        for (method, loss) in criticLoss.sorted(by: { $0.key < $1.key }) { context.metric("\(method) final critic loss", loss) }
        context.figure(.curve("pre-training", caption: "MLE pre-training: the oracle's NLL of G's samples (quality), G's NLL of held-out oracle sequences (coverage) and the training NLL, per epoch."))
        context.figure(.curve("NLL-oracle", caption: "NLL-oracle during the training after pre-training, per method (lower is better; SeqGAN's figure 2)."))
        context.figure(.curve("NLL-gen", caption: "NLL-gen (G's NLL of held-out oracle sequences) per method: a method that lowers NLL-oracle by dropping modes raises this."))
        let ranked = Self.methods.compactMap { m in finals[m].map { (m, $0.oracle) } }.sorted { $0.1 < $1.1 }
        if let best = ranked.first, let mle = finals["MLE"], let seqgan = finals["SeqGAN"] {
            let f = { (v: Double) in String(format: "%.3f", v) }
            context.note("Pre-training took NLL-oracle from \(f(random.oracle)) (random G) to \(f(pretrained.oracle)). After \(sizes.adversarialSteps) more steps: " + ranked.map { "\($0.0) \(f($0.1))" }.joined(separator: ", ") + ". SeqGAN ended \(f(abs(mle.oracle - seqgan.oracle))) \(seqgan.oracle < mle.oracle ? "below" : "above") continued MLE" + (seqgan.oracle < mle.oracle ? ", the paper's ordering" : "; the paper found it 0.30 below") + "; the lowest was \(best.0). NLL-gen went from \(f(pretrained.gen)) to " + Self.methods.compactMap { m in finals[m].map { "\(m) \(f($0.gen))" } }.joined(separator: ", ") + ".")
        }
        if let soft = criticLoss["GAN (softmax)"] {
            context.note(String(format: "The standard GAN discriminator fed G's softmax outputs against one-hot real tokens ended with a loss of %.4f (log 4 = 1.386 at chance): it tells soft from one-hot inputs apart, the course's reason to use a WGAN critic for continuous inputs.", soft))
        }
    }
}
