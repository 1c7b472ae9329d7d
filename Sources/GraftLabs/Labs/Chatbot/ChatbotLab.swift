import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// A chatbot three ways, on the ChatterBot corpus: a Luong-attention seq2seq model trained by
/// maximum likelihood (MLE), then fine-tuned by REINFORCE with a hand-made reward
/// (`ResponseReward`: length, unigram informativeness, no repetition, not one of the model's own
/// most frequent answers) and a moving-average baseline (Li et al. 2016, "Deep reinforcement
/// learning for dialogue generation"), and fine-tuned as a GAN whose discriminator tells human
/// (query, response) pairs from sampled ones and whose probability is the REINFORCE reward,
/// with teacher-forcing steps interleaved (Li et al. 2017, "Adversarial learning for neural
/// dialogue generation"). Greedy answers to held-out utterances are compared on length,
/// distinct-1/2, the share of the most common answer and BLEU-2.
public struct ChatbotLab: Lab {
    /// The dialogue corpora the lab can train on.
    public enum Corpus: String, Sendable, CaseIterable {
        /// The bundled ChatterBot pairs (2,306 exchanges in 21 topics, many repeated).
        case chatterbot
        /// Consecutive turns of the Friends transcripts (60,176 pairs), fetched by `graft data fetch friends`.
        case friends
    }

    /// The corpus this lab trains on.
    public let corpus: Corpus
    /// "chatbot" on ChatterBot, "chatbot-friends" on Friends.
    public var name: String { corpus == .chatterbot ? "chatbot" : "chatbot-friends" }
    /// The title.
    public var title: String {
        "Chatbot: maximum likelihood, reinforcement learning and a GAN" + (corpus == .chatterbot ? "" : " (Friends transcripts)")
    }
    /// The claim.
    public let claim = """
        A seq2seq chatbot trained by maximum likelihood gives short, generic answers; fine-tuning it by policy gradient, with a \
        hand-made reward or with a discriminator's score, gives longer and less generic ones (Li et al. 2016; Li et al. 2017).
        """
    /// The bundled ChatterBot pairs, or the fetched Friends pairs.
    public var datasets: [String] { [corpus == .chatterbot ? "chatterbot" : "friends"] }

    /// The folder holding fetched data (nil: the user's data folder, `GRAFT_DATA`).
    public let dataHome: URL?

    /// The lab on `corpus` (ChatterBot by default), reading fetched data from `dataHome`.
    public init(corpus: Corpus = .chatterbot, dataHome: URL? = nil) {
        self.corpus = corpus
        self.dataHome = dataHome
    }

    /// The folder fetched data are read from.
    var home: URL { dataHome ?? DataHome.directory }

    /// The fetched data sets missing from `home` (Friends, for `chatbot-friends`).
    public func missingData() -> [String] { LabData.missingFetched(datasets, dataHome: home) }

    /// Sizes of a run.
    struct Sizes {
        var maxLength: Int, testShare: Double
        /// Held-out utterances at most, and the vocabulary's size at most (nil: no cap).
        var maxTest: Int?, maxVocabulary: Int?
        var embedding: Int, hidden: Int, dropout: Float
        var mleSteps: Int, rlSteps: Int, discriminatorPretrainSteps: Int, ganSteps: Int, batch: Int
        var mleRate: Float, policyRate: Float, discriminatorRate: Float
        /// Feature maps per window width of the discriminator (widths 1...5).
        var maps: Int
        /// Steps between refreshes of the RL reward's dull set, and its size.
        var dullEvery: Int, dullCount: Int
        /// One MLE (teacher-forcing) step on human pairs after every GAN generator step.
        var teacherForcing: Bool
        var logEvery: Int
        var seeds: Int
    }

    /// Sizes of a run on `corpus`: Friends is 26 times larger, so its vocabulary is capped, its
    /// test set is at most 1,000 utterances and MLE takes more steps of larger batches.
    static func sizes(quick: Bool, corpus: Corpus = .chatterbot) -> Sizes {
        switch (quick, corpus) {
        case (true, .chatterbot):
            return Sizes(maxLength: 12, testShare: 0.1, maxTest: nil, maxVocabulary: nil, embedding: 32, hidden: 64, dropout: 0,
                         mleSteps: 250, rlSteps: 40,
                         discriminatorPretrainSteps: 30, ganSteps: 40, batch: 32, mleRate: 5e-3, policyRate: 5e-4, discriminatorRate: 3e-3,
                         maps: 16, dullEvery: 20, dullCount: 5, teacherForcing: true, logEvery: 10, seeds: 1)
        case (false, .chatterbot):
            return Sizes(maxLength: 20, testShare: 0.1, maxTest: nil, maxVocabulary: nil, embedding: 48, hidden: 96, dropout: 0.1,
                         mleSteps: 1500, rlSteps: 250,
                         discriminatorPretrainSteps: 100, ganSteps: 250, batch: 32, mleRate: 3e-3, policyRate: 3e-4, discriminatorRate: 3e-3,
                         maps: 32, dullEvery: 50, dullCount: 5, teacherForcing: true, logEvery: 25, seeds: 3)
        case (true, .friends):
            return Sizes(maxLength: 10, testShare: 0.01, maxTest: 100, maxVocabulary: 1000, embedding: 32, hidden: 64, dropout: 0,
                         mleSteps: 150, rlSteps: 20,
                         discriminatorPretrainSteps: 20, ganSteps: 20, batch: 32, mleRate: 5e-3, policyRate: 5e-4, discriminatorRate: 3e-3,
                         maps: 16, dullEvery: 10, dullCount: 5, teacherForcing: true, logEvery: 10, seeds: 1)
        case (false, .friends):
            return Sizes(maxLength: 15, testShare: 0.02, maxTest: 1000, maxVocabulary: 6000, embedding: 64, hidden: 128, dropout: 0.1,
                         mleSteps: 3000, rlSteps: 250,
                         discriminatorPretrainSteps: 100, ganSteps: 250, batch: 64, mleRate: 3e-3, policyRate: 3e-4, discriminatorRate: 3e-3,
                         maps: 32, dullEvery: 50, dullCount: 5, teacherForcing: true, logEvery: 50, seeds: 2)
        }
    }

    /// The corpus of one seed's run (each seed draws its own held-out utterances).
    func loadCorpus(sizes: Sizes, seed: UInt64) throws -> ChatbotCorpus {
        switch corpus {
        case .chatterbot:
            return try ChatbotCorpus(try ChatterBotPairs.load(), maxLength: sizes.maxLength, testShare: sizes.testShare, seed: seed)
        case .friends:
            let missing = missingData()
            guard missing.isEmpty else {
                throw LabError("\(name) needs \(missing.joined(separator: ", ")), which is not in \(home.path): "
                               + "run `graft data fetch friends` (or set GRAFT_DATA to a folder that has it)")
            }
            return try ChatbotCorpus(exchanges: try FriendsPairs.load(dataHome: home).map { ($0.utterance, $0.response) }, maxLength: sizes.maxLength,
                                     testShare: sizes.testShare, maxTest: sizes.maxTest, maxVocabulary: sizes.maxVocabulary, seed: seed)
        }
    }

    /// The three generators, in report order.
    enum Method: String, LabMethod {
        /// Maximum likelihood.
        case mle = "MLE"
        /// REINFORCE with the hand-made reward, from the MLE model.
        case rl = "RL"
        /// REINFORCE with a discriminator's probability as the reward, from the MLE model.
        case gan = "GAN"

        /// None: Li et al. report on OpenSubtitles, and by human judgement, so no number is comparable.
        var paper: Double? { nil }
    }

    /// Runs every seed and records the comparison.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick, corpus: corpus)
        var results: [ChatbotSeedResult] = []
        let perSeed = sizes.mleSteps + sizes.rlSteps + sizes.discriminatorPretrainSteps + sizes.ganSteps
        context.planSteps(perSeed * sizes.seeds)
        for s in 0..<sizes.seeds {
            let seed = context.options.seed &+ UInt64(s)
            let corpus = try loadCorpus(sizes: sizes, seed: seed)
            do {
                results.append(try runSeed(seed, corpus: corpus, sizes: sizes, context: context))
            } catch let error as DialogueTrainingError {
                throw LabError("\(name), seed \(seed): \(error)")
            }
        }
        try ChatbotReport(source: self.corpus, sizes: sizes, results: results, context: context).record()
    }

    /// Where the shuffled training exchanges are read from: an order of them and the next position.
    struct BatchCursor: Codable {
        var order: [Int] = [], cursor = 0
    }

    /// Trains the three generators of one seed, each phase a harness loop, and answers the
    /// held-out utterances greedily. The loops track the models and trainers, the shared random
    /// generator (batch orders and samples), the batch cursor, the curves and the running sums.
    func runSeed(_ seed: UInt64, corpus: ChatbotCorpus, sizes: Sizes, context: LabContext) throws -> ChatbotSeedResult {
        let v = corpus.vocabulary
        let config = Seq2SeqConfig(sourceVocabulary: v.count, targetVocabulary: v.count, embedding: sizes.embedding, hidden: sizes.hidden,
                                   dropout: sizes.dropout, padIndex: v.padIndex, beginIndex: v.beginIndex, endIndex: v.endIndex)
        var result = ChatbotSeedResult(corpus: corpus)
        let random = RandomGenerator(seed: seed &* 1_000_003 &+ 17)
        let mle = try Seq2Seq(config, generator: RandomGenerator(seed: seed &+ 100))

        // (1) Maximum likelihood.
        let mleOptimizer = Adam(mle.namedParameters(), learningRate: sizes.mleRate)
        let batches = Tracked(BatchCursor())
        func nextBatch() -> [ChatbotCorpus.Exchange] {
            (0..<sizes.batch).map { _ in
                if batches.value.cursor == batches.value.order.count { batches.value = BatchCursor(order: random.permutation(corpus.train.count)) }
                batches.value.cursor += 1
                return corpus.train[batches.value.order[batches.value.cursor - 1]]
            }
        }
        // (step, value) points by curve name.
        let curves = Tracked([String: [[Double]]]())
        func point(_ curve: String, _ step: Int, _ value: Double) { curves.value[curve, default: []].append([Double(step), value]) }
        let running = Tracked(0.0)
        try context.train("MLE, seed \(seed)", steps: sizes.mleSteps,
                          tracking: ["model": mle, "optimizer": mleOptimizer, "dropout": mle.dropout.generator, "random": random,
                                     "batches": batches, "curves": curves, "running": running]) { step in
            let batch = nextBatch()
            let loss = mle.trainStep(Seq2SeqBatch(sources: batch.map(\.query), targets: batch.map(\.response), vocabulary: v),
                                     optimizer: mleOptimizer, clipNorm: 5)
            running.value += Double(loss)
            if step.number % sizes.logEvery == 0 {
                point("MLE loss", step.number, running.value / Double(sizes.logEvery))
                running.value = 0
            }
            return ["loss": Double(loss)]
        }
        result.answers[.mle] = answer(mle, corpus: corpus, maxLength: sizes.maxLength)

        // (2) REINFORCE with the hand-made reward, from the MLE model.
        var rlSettings = DialogueREINFORCESettings()
        rlSettings.learningRate = sizes.policyRate
        rlSettings.maxLength = sizes.maxLength
        rlSettings.dullEvery = sizes.dullEvery
        rlSettings.dullCount = sizes.dullCount
        let reward = ResponseReward(answers: corpus.train.map(\.response), vocabulary: v.count, lengthCap: 10)
        let rl = DialogueREINFORCETrainer(model: try Self.copy(mle), reward: reward,
                                          dullProbe: Array(corpus.train.prefix(300).map(\.query)), settings: rlSettings, random: random)
        try context.train("RL, seed \(seed)", steps: sizes.rlSteps, tracking: ["trainer": rl, "batches": batches, "curves": curves]) { step in
            let outcome = try rl.step(queries: nextBatch().map(\.query))
            if step.number % sizes.logEvery == 0 { point("RL reward", step.number, outcome.meanReward) }
            return ["policy loss": outcome.policyLoss]
        }
        result.answers[.rl] = answer(rl.model, corpus: corpus, maxLength: sizes.maxLength)

        // (3) A GAN from the MLE model: D on (query, response) pairs, REINFORCE with D's probability.
        var ganSettings = DialogueGANSettings()
        ganSettings.generatorLearningRate = sizes.policyRate
        ganSettings.discriminatorLearningRate = sizes.discriminatorRate
        ganSettings.maxLength = sizes.maxLength
        ganSettings.discriminatorEmbedding = sizes.embedding
        ganSettings.discriminatorMaps = [Int](repeating: sizes.maps, count: 5)
        ganSettings.teacherForcing = sizes.teacherForcing
        let ganTrainer = DialogueGANTrainer(generator: try Self.copy(mle), settings: ganSettings,
                                            discriminatorGenerator: RandomGenerator(seed: seed &+ 300), random: random)
        let gan = ganTrainer.generator
        // How often a sampled answer to a training utterance is word for word one of its human answers.
        var humanAnswers: [[Int]: Set<[Int]>] = [:]
        for exchange in corpus.train { humanAnswers[exchange.query, default: []].insert(exchange.response) }
        let copied = Tracked(0), sampled = Tracked(0)
        try context.train("GAN discriminator pre-training, seed \(seed)", steps: sizes.discriminatorPretrainSteps,
                          tracking: ["trainer": ganTrainer, "batches": batches, "curves": curves, "copied": copied, "sampled": sampled]) { step in
            let batch = nextBatch()
            let pretraining = try ganTrainer.pretrainDiscriminatorStep(queries: batch.map(\.query), human: batch.map(\.response))
            let fake = pretraining.samples, loss = pretraining.loss
            copied.value += zip(batch, fake).filter { humanAnswers[$0.query]?.contains($1) ?? false }.count
            sampled.value += fake.count
            if step.number % sizes.logEvery == 0 { point("D loss (pre-training)", step.number, loss) }
            return ["D loss": loss]
        }
        result.copiedShare = Double(copied.value) / Double(max(sampled.value, 1))
        try context.train("GAN, seed \(seed)", steps: sizes.ganSteps,
                          tracking: ["trainer": ganTrainer, "batches": batches, "curves": curves]) { step in
            let batch = nextBatch()
            let outcome = try ganTrainer.step(queries: batch.map(\.query), human: batch.map(\.response)) {
                let human = nextBatch()
                return (human.map(\.query), human.map(\.response))
            }
            let mean = outcome.generator.meanReward, dLoss = outcome.discriminatorLoss
            if step.number % sizes.logEvery == 0 {
                point("GAN D(fake)", step.number, mean)
                point("GAN D loss", step.number, dLoss)
            }
            return ["D loss": dLoss, "policy loss": outcome.generator.policyLoss]
        }
        result.curves = curves.value.mapValues { $0.map { (Int($0[0]), $0[1]) } }
        result.answers[.gan] = answer(gan, corpus: corpus, maxLength: sizes.maxLength)
        return result
    }

    /// `query <sep> response`, padded with `padIndex` (or cut) to `length` tokens: the
    /// discriminator's input.
    static func joinPair(query: [Int], response: [Int], separator: Int, padIndex: Int, length: Int) -> [Int] {
        DialogueGANTrainer.joinPair(query: query, response: response, separator: separator, padIndex: padIndex, length: length)
    }

    /// A new model with `model`'s configuration and a copy of its weights.
    static func copy(_ model: Seq2Seq) throws -> Seq2Seq {
        let clone = try Seq2Seq(model.config, generator: RandomGenerator(seed: 0))
        try clone.load(stateDict: model.stateDict())
        return clone
    }

    /// Greedy answers (words) to the held-out utterances.
    func answer(_ model: Seq2Seq, corpus: ChatbotCorpus, maxLength: Int) -> [[String]] {
        model.greedy(corpus.test.map(\.query), maxLength: maxLength).map(corpus.words)
    }
}

/// What one seed of the chatbot lab produced.
struct ChatbotSeedResult {
    let corpus: ChatbotCorpus
    /// Greedy answers to the held-out utterances per method.
    var answers: [ChatbotLab.Method: [[String]]] = [:]
    /// (step, value) curves.
    var curves: [String: [(Int, Double)]] = [:]
    /// The share of the MLE model's sampled answers to training utterances (the discriminator's
    /// pre-training fakes) that are word for word a human answer of the same utterance.
    var copiedShare = 0.0
}
