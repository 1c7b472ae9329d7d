import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Unpaired abstractive summarization (Wang and Lee 2018) on BBC News: a generator writes a
/// K-word summary of an article's first words, a reconstructor must rewrite the article from
/// it, and a discriminator trained on headlines of other articles keeps the summaries
/// headline-like (`UnsupervisedSummarizer`, straight-through Gumbel-softmax). Held-out articles
/// are summarized and scored by ROUGE against their headlines, beside the lead-K baseline (the
/// article's first K words), the same auto-encoder without the discriminator, and a supervised
/// seq2seq model trained on the training articles' headlines (the upper bound). Generator,
/// reconstructor and supervised model are pointer-generators; the generator is pre-trained on
/// the articles alone to write their first K words, then trains as an auto-encoder before the
/// discriminator joins. Whether the summaries carry information about their article is measured
/// against a reconstructor reading another article's summary and one trained on a constant
/// summary (a language model of the articles).
public struct SummarizeLab: Lab {
    /// "summarize".
    public let name = "summarize"
    /// The title.
    public let title = "Unpaired summarization: a GAN-regularised text auto-encoder"
    /// The claim.
    public let claim = """
        An auto-encoder whose latent code is a short word sequence kept human-like by a discriminator trained on unpaired \
        headlines writes summaries without any document-summary pairs (Wang and Lee 2018).
        """
    /// The fetched BBC articles.
    public let datasets = ["bbc"]

    /// The lab.
    public init() {}

    /// Sizes of a run.
    struct Sizes {
        var documentWords: Int, summaryLength: Int, testCount: Int, vocabularySize: Int
        var embedding: Int, hidden: Int
        /// G's lead pre-training steps, then the auto-encoder steps (λ = 0) before D joins, then
        /// the steps with D (the auto-encoder's total is the sum of the last two).
        var leadSteps: Int, warmUpSteps: Int, adversarialSteps: Int
        var supervisedSteps: Int, batch: Int
        /// Dropout of the supervised model (about a thousand pairs: it overfits without).
        var supervisedDropout: Float
        var learningRate: Float, discriminatorRate: Float, adversarialWeight: Float, temperature: Float
        /// Feature maps per window width of the discriminator (widths 1...4).
        var maps: Int
        /// Pointer-generator decoders (copying) for the summarizers and the supervised model.
        var copy: Bool
        /// Also train the auto-encoder without the discriminator (λ = 0).
        var ablation: Bool
        var logEvery: Int
        var seeds: Int
        /// Steps of G and R after the lead pre-training.
        var unsupervisedSteps: Int { warmUpSteps + adversarialSteps }
    }

    static func sizes(quick: Bool) -> Sizes {
        quick
            ? Sizes(documentWords: 20, summaryLength: 6, testCount: 60, vocabularySize: 600, embedding: 24, hidden: 32,
                    leadSteps: 10, warmUpSteps: 10, adversarialSteps: 20, supervisedSteps: 30, batch: 16, supervisedDropout: 0.3,
                    learningRate: 3e-3, discriminatorRate: 1e-3,
                    adversarialWeight: 1, temperature: 1, maps: 8, copy: true, ablation: true, logEvery: 10, seeds: 1)
            : Sizes(documentWords: 30, summaryLength: 8, testCount: 225, vocabularySize: 2000, embedding: 64, hidden: 96,
                    leadSteps: 100, warmUpSteps: 150, adversarialSteps: 200, supervisedSteps: 350, batch: 32, supervisedDropout: 0.3,
                    learningRate: 3e-3, discriminatorRate: 3e-4,
                    adversarialWeight: 1, temperature: 1, maps: 32, copy: true, ablation: true, logEvery: 25, seeds: 3)
    }

    /// The summarizers compared, in report order.
    enum Method: String, LabMethod {
        /// The article's first K words ("lead-K" in the report: `name(_:)`).
        case lead = "lead"
        /// The unpaired summarizer: the auto-encoder with its discriminator.
        case unsupervised = "unsupervised"
        /// The same auto-encoder without the discriminator (λ = 0), when the run has the ablation.
        case noDiscriminator = "no discriminator"
        /// A seq2seq model trained on the training articles' headlines (the upper bound).
        case supervised = "supervised"

        /// None: Wang and Lee (2018) report ROUGE on English Gigaword, not comparable here.
        var paper: Double? { nil }

        /// The method's name in the report with summaries of `sizes.summaryLength` words: "lead-K"
        /// for the lead baseline, the raw value for the others.
        func name(_ sizes: Sizes) -> String { self == .lead ? "lead-\(sizes.summaryLength)" : rawValue }
    }

    /// The summarizers of a run of `sizes`, in report order (without the ablation, no "no discriminator").
    static func methods(_ sizes: Sizes) -> [Method] { Method.all.filter { $0 != .noDiscriminator || sizes.ablation } }

    /// Runs every seed and records the comparison.
    public func run(_ context: LabContext) throws {
        let missing = missingData()
        guard missing.isEmpty else {
            throw LabError("summarize needs the BBC articles: run `graft data fetch bbc` first (missing: \(missing.joined(separator: ", ")))")
        }
        let sizes = Self.sizes(quick: context.options.quick)
        let articles = try BBCNews.load()
        let perSeed = (sizes.leadSteps + sizes.unsupervisedSteps) * (sizes.ablation ? 2 : 1) + sizes.unsupervisedSteps + sizes.supervisedSteps
        var results: [SummarizeSeedResult] = []
        context.planSteps(perSeed * sizes.seeds)
        for s in 0..<sizes.seeds {
            let seed = context.options.seed &+ UInt64(s)
            let corpus = try SummarizeCorpus(articles, documentWords: sizes.documentWords, testCount: sizes.testCount,
                                             vocabularySize: sizes.vocabularySize, seed: seed)
            results.append(try runSeed(seed, corpus: corpus, sizes: sizes, context: context))
        }
        try SummarizeReport(sizes: sizes, results: results, context: context).record()
    }

    /// Trains the summarizers of one seed, each phase a harness loop, and summarizes the held-out
    /// articles. The loops track the summarizers and trainers, the batch generator `random`, the
    /// curves and the running sums.
    func runSeed(_ seed: UInt64, corpus: SummarizeCorpus, sizes: Sizes, context: LabContext) throws -> SummarizeSeedResult {
        var result = SummarizeSeedResult(corpus: corpus)
        let k = sizes.summaryLength
        result.summaries[.lead] = corpus.test.map { Array($0.words.prefix(k)) }
        let random = RandomGenerator(seed: seed &* 1_000_003 &+ 29)
        let documents = corpus.train.map(\.tokens), testDocuments = corpus.test.map(\.tokens)
        func batchIndices(_ count: Int) -> [Int] { (0..<sizes.batch).map { _ in random.nextInt(below: count) } }
        // (step, value) points by curve name.
        let curves = Tracked([String: [[Double]]]())
        func point(_ curve: String, _ step: Int, _ value: Double) { curves.value[curve, default: []].append([Double(step), value]) }

        // The unpaired summarizer, and the same auto-encoder without its discriminator.
        var autoEncoders: [(method: Method, weight: Float)] = [(.unsupervised, sizes.adversarialWeight)]
        if sizes.ablation { autoEncoders.append((.noDiscriminator, 0)) }
        for (method, weight) in autoEncoders {
            let summarizer = try UnsupervisedSummarizer(settings: settings(sizes, corpus: corpus, adversarialWeight: weight), seed: seed &+ 200)
            let leadRunning = Tracked(0.0)
            try context.train("\(method.rawValue) lead pre-training, seed \(seed)", steps: sizes.leadSteps,
                              tracking: ["summarizer": summarizer, "random": random, "curves": curves, "running": leadRunning]) { step in
                let loss: Double
                do {
                    loss = try summarizer.leadStep(documents: batchIndices(documents.count).map { documents[$0] })
                } catch let error as SummarizationError {
                    throw LabError("summarize, seed \(seed), \(method.rawValue): lead pre-training step \(step.number): \(error.message)")
                }
                leadRunning.value += loss
                if step.number % sizes.logEvery == 0 {
                    if weight > 0 { point("lead pre-training", step.number - sizes.leadSteps, leadRunning.value / Double(sizes.logEvery)) }
                    leadRunning.value = 0
                }
                return ["loss": loss]
            }
            // Running sums of the reconstruction loss, D's loss and D(summary).
            let running = Tracked([0.0, 0.0, 0.0])
            try context.train("\(method.rawValue), seed \(seed)", steps: sizes.unsupervisedSteps,
                              tracking: ["summarizer": summarizer, "random": random, "curves": curves, "running": running]) { step in
                let docs = batchIndices(documents.count).map { documents[$0] }
                let headlines = batchIndices(corpus.headlines.count).map { corpus.headlines[$0] }
                let losses: SummarizerStep
                do { losses = try summarizer.step(documents: docs, headlines: headlines) } catch let error as SummarizationError {
                    throw LabError("summarize, seed \(seed), \(method.rawValue): step \(step.number): \(error.message)")
                }
                running.value[0] += losses.reconstruction; running.value[1] += losses.discriminator; running.value[2] += losses.fakeScore
                if step.number % sizes.logEvery == 0 {
                    let n = Double(sizes.logEvery)
                    point("\(method.rawValue) reconstruction", step.number, running.value[0] / n)
                    if weight > 0 && step.number > sizes.warmUpSteps {
                        point("D loss", step.number, running.value[1] / n)
                        point("D(summary)", step.number, running.value[2] / n)
                    }
                    running.value = [0, 0, 0]
                }
                return ["reconstruction": losses.reconstruction, "D loss": losses.discriminator]
            }
            let tokens = summarizer.tokens(testDocuments)
            result.summaries[method] = tokens.map { corpus.words(summarizer.generatorNet.words($0)) }
            result.reconstruction[method] = summarizer.reconstructionAccuracy(testDocuments, summaries: tokens)
            // The same reconstructor reading another held-out article's summary instead.
            let others = Array(tokens.dropFirst()) + tokens.prefix(1)
            result.reconstructionOther[method] = summarizer.reconstructionAccuracy(testDocuments, summaries: others)
            if weight > 0 {
                let real = summarizer.oneHot(corpus.test.map(\.titleTokens))
                let fake = Tensor.oneHot(Tensor(indices: tokens.flatMap { $0 }, shape: [corpus.test.count, k]), classes: corpus.vocabulary.count)
                result.discriminatorScores = (Self.meanProbability(summarizer.discriminator, real),
                                              Self.meanProbability(summarizer.discriminator, fake))
            }
        }
        result.reconstructionWithoutSummary = try noSummaryAccuracy(seed, corpus: corpus, sizes: sizes, random: random, context: context)

        // The supervised upper bound: the same seq2seq trained on the training articles' headlines,
        // over its own vocabulary (training documents and headlines), decoded greedily without
        // the unknown token.
        let v = corpus.pairedVocabulary
        let config = Seq2SeqConfig(sourceVocabulary: v.count, targetVocabulary: v.count, embedding: sizes.embedding, hidden: sizes.hidden,
                                   dropout: sizes.supervisedDropout, padIndex: v.padIndex, beginIndex: v.beginIndex, endIndex: v.endIndex)
        let supervisedRandom = RandomGenerator(seed: seed &+ 300)
        let supervised = try Seq2Seq(config, generator: supervisedRandom)
        let gate = sizes.copy ? PointerGenerator.gate(for: supervised, generator: supervisedRandom) : nil
        // Teacher forcing through the reconstructor's code path: one-hot articles as sources.
        let teacher = SummaryReconstructor(model: supervised, copyGate: gate)
        var teacherSettings = SummaryReconstructorSettings()
        teacherSettings.learningRate = sizes.learningRate
        let trainer = SummaryReconstructorTrainer(reconstructor: teacher, settings: teacherSettings)
        let running = Tracked(0.0)
        try context.train("supervised, seed \(seed)", steps: sizes.supervisedSteps,
                          tracking: ["trainer": trainer, "random": random, "curves": curves, "running": running]) { step in
            let items = batchIndices(corpus.train.count).map { corpus.train[$0] }
            let sources = padBatch(items.map(\.pairedTokens), padIndex: v.padIndex)
            let loss: Double
            do {
                loss = try trainer.step(sequences: Tensor.oneHot(sources.tokens, classes: v.count), documents: items.map(\.pairedTitleTokens),
                                        lengths: sources.lengths)
            } catch let error as SummarizationError { throw LabError("summarize, seed \(seed), supervised: \(error.message)") }
            running.value += loss
            if step.number % sizes.logEvery == 0 {
                point("supervised loss", step.number, running.value / Double(sizes.logEvery))
                running.value = 0
            }
            return ["loss": loss]
        }
        result.curves = curves.value.mapValues { $0.map { (Int($0[0]), $0[1]) } }
        let decoder = SummaryGenerator(model: supervised, length: k, forbidden: [v.padIndex, v.unknownIndex, v.beginIndex], copyGate: gate)
        let padded = padBatch(corpus.test.map(\.pairedTokens), padIndex: v.padIndex)
        result.summaries[.supervised] = decoder.greedy(padded.tokens, lengths: padded.lengths, blockRepeats: true)
            .map { corpus.words(decoder.words($0), in: v) }
        result.unknownHeadlineShare = SummarizeCorpus.unknownShare(corpus.test.map(\.pairedTitleTokens), v)
        return result
    }

    /// The no-summary baseline: a reconstructor of the same shape trained as long as the
    /// auto-encoder's, reading one constant summary (K end tokens) for every article, i.e. a
    /// language model of the articles; its teacher-forced token accuracy on the held-out articles.
    /// Its batches are drawn from `random` (tracked by its harness loop).
    func noSummaryAccuracy(_ seed: UInt64, corpus: SummarizeCorpus, sizes: Sizes, random: RandomGenerator, context: LabContext) throws -> Double {
        let v = corpus.vocabulary, k = sizes.summaryLength
        let config = Seq2SeqConfig(sourceVocabulary: v.count, targetVocabulary: v.count, embedding: sizes.embedding, hidden: sizes.hidden,
                                   padIndex: v.padIndex, beginIndex: v.beginIndex, endIndex: v.endIndex)
        let reconstructor = SummaryReconstructor(model: try Seq2Seq(config, generator: RandomGenerator(seed: seed &+ 400)))
        var trainerSettings = SummaryReconstructorSettings()
        trainerSettings.learningRate = sizes.learningRate
        let trainer = SummaryReconstructorTrainer(reconstructor: reconstructor, settings: trainerSettings)
        func constant(_ n: Int) -> Tensor {
            Tensor.oneHot(Tensor(indices: [Int](repeating: v.endIndex, count: n * k), shape: [n, k]), classes: v.count)
        }
        try context.train("no-summary reconstructor, seed \(seed)", steps: sizes.unsupervisedSteps,
                          tracking: ["trainer": trainer, "random": random]) { _ in
            let docs = (0..<sizes.batch).map { _ in corpus.train[random.nextInt(below: corpus.train.count)].tokens }
            do { return ["loss": try trainer.step(sequences: constant(docs.count), documents: docs)] } catch let error as SummarizationError {
                throw LabError("summarize, seed \(seed), no-summary reconstructor: \(error.message)")
            }
        }
        let test = corpus.test.map(\.tokens)
        return reconstructor.tokenAccuracy(summaries: constant(test.count), documents: test)
    }

    /// The summarizer's settings for `corpus` with adversarial weight λ.
    func settings(_ sizes: Sizes, corpus: SummarizeCorpus, adversarialWeight: Float) -> SummarizerSettings {
        let v = corpus.vocabulary
        var s = SummarizerSettings(vocabulary: v.count, summaryLength: sizes.summaryLength)
        s.embedding = sizes.embedding
        s.hidden = sizes.hidden
        s.temperature = sizes.temperature
        s.adversarialWeight = adversarialWeight
        s.warmUpSteps = sizes.warmUpSteps
        s.copy = sizes.copy
        s.blockRepeatedWords = true
        s.learningRate = sizes.learningRate
        s.discriminatorLearningRate = sizes.discriminatorRate
        s.discriminatorEmbedding = sizes.embedding
        s.discriminatorWidths = Array(1...min(4, sizes.summaryLength))
        s.discriminatorMaps = [Int](repeating: sizes.maps, count: s.discriminatorWidths.count)
        s.padIndex = v.padIndex; s.beginIndex = v.beginIndex; s.endIndex = v.endIndex
        s.forbidden = [v.padIndex, v.unknownIndex, v.beginIndex]
        return s
    }

    /// D's mean probability of "human" for one-hot sequences, in evaluation mode.
    static func meanProbability(_ d: SequenceDiscriminator, _ sequences: Tensor) -> Double {
        let wasTraining = d.isTraining
        d.eval()
        defer { d.train(wasTraining) }
        return noGrad { Double(d(distributions: sequences).sigmoid().mean().item) }
    }
}

/// What one seed of the summarization lab produced.
struct SummarizeSeedResult {
    let corpus: SummarizeCorpus
    /// Each method's summaries (words) of the held-out articles.
    var summaries: [SummarizeLab.Method: [[String]]] = [:]
    /// (step, value) curves.
    var curves: [String: [(Int, Double)]] = [:]
    /// The reconstructor's teacher-forced token accuracy on the held-out articles from greedy summaries.
    var reconstruction: [SummarizeLab.Method: Double] = [:]
    /// The same from another held-out article's greedy summary.
    var reconstructionOther: [SummarizeLab.Method: Double] = [:]
    /// The no-summary baseline's accuracy: a reconstructor trained and tested on a constant summary.
    var reconstructionWithoutSummary = 0.0
    /// The share of held-out headline tokens unknown to the supervised model's vocabulary.
    var unknownHeadlineShare = 0.0
    /// D's mean probability of "human" for the held-out headlines and for the unsupervised summaries.
    var discriminatorScores = (real: 0.0, summaries: 0.0)
}
