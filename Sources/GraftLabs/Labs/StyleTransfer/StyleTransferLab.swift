import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Text style transfer without parallel data, on one of two tasks. Bible: King James (archaic) ↔
/// World English Bible (modern): the training verses are split into two disjoint halves, one read
/// only in its KJV version and the other only in its WEB version, so the alignment is never used
/// in training; held-out verses are scored with the alignment the models never saw. Sentiment:
/// Rotten Tomatoes rotten (negative) ↔ fresh (positive) snippets, unpaired by nature, so there is
/// no reference. Two unsupervised models: `DirectStyleTransfer` (a style-conditioned seq2seq
/// first trained to copy, then with identity, cycle, style-classifier and target-style
/// language-model losses through the straight-through argmax of softmax(logits / τ)) and Shen et
/// al.'s (2017) `CrossAlignedAutoencoder`; two baselines: copying the input and retrieving the
/// nearest training sentence of the other style (TF-IDF cosine). Measures: BLEU to the other
/// version (Bible only), BLEU to the input (content kept), the share a separately trained style
/// classifier assigns to the target style, and perplexity under a separately trained language
/// model of the target style.
public struct StyleTransferLab: Lab {
    /// The two tasks.
    public enum Task: String, Sendable, CaseIterable {
        /// The bundled aligned Bible, archaic ↔ modern.
        case bible
        /// Rotten Tomatoes snippets, negative ↔ positive, fetched by `graft data fetch rt`.
        case sentiment
    }

    /// The task of this lab.
    public let task: Task
    /// Where fetched data is read from (nil: the user's data folder).
    public let dataHome: URL?

    /// "style-transfer" or "style-transfer-sentiment".
    public var name: String { task == .bible ? "style-transfer" : "style-transfer-sentiment" }
    /// The title.
    public var title: String {
        task == .bible ? "Text style transfer without parallel data: King James ↔ World English Bible"
            : "Sentiment transfer without parallel data: Rotten Tomatoes negative ↔ positive"
    }
    /// The claim.
    public var claim: String {
        task == .bible
            ? """
                Models trained on unpaired sentences of two styles can rewrite a sentence in the other style while keeping its content \
                (Shen et al. 2017; Yang et al. 2018); measured on held-out Bible verses against their other translation, next to \
                copying the input and retrieving the nearest sentence of the other style.
                """
            : """
                Models trained on unpaired negative and positive sentences can flip a sentence's sentiment while keeping its content \
                (Shen et al. 2017; Lample et al. 2019); measured on held-out Rotten Tomatoes snippets by a separate sentiment \
                classifier, BLEU to the input and a target-sentiment language model, next to copying the input and retrieving the \
                nearest sentence of the other sentiment.
                """
    }
    /// The bundled aligned Bible, or the fetched Rotten Tomatoes snippets.
    public var datasets: [String] { [task == .bible ? "bible" : "rt"] }

    /// The lab on `task` (the Bible by default), reading fetched data from `dataHome`.
    public init(task: Task = .bible, dataHome: URL? = nil) {
        self.task = task
        self.dataHome = dataHome
    }

    var home: URL { dataHome ?? DataHome.directory }

    /// The fetched data sets this lab needs that are not in its data folder.
    public func missingData() -> [String] { LabData.missingFetched(datasets, dataHome: home) }

    /// Sizes of a run.
    struct Sizes {
        var maxLength: Int, testCount: Int, perSide: Int, vocabularySize: Int
        var embedding: Int, hidden: Int, batch: Int
        var classifierSteps: Int, lmSteps: Int, warmupSteps: Int, directSteps: Int, crossSteps: Int
        var rate: Float, temperature: Float, styleWeight: Float, fluencyWeight: Float, cycleWeight: Float
        /// λ_copy of the warm-up and at the start of the full objective (then linearly down to 0).
        var copyWeight: Float
        var gamma: Float, adversarialWeight: Float
        var logEvery: Int, seeds: Int
        /// Held-out inputs of the first direction transferred every `monitorEvery` steps for the content curves.
        var monitorCount: Int, monitorEvery: Int
    }

    static func sizes(quick: Bool, task: Task = .bible) -> Sizes {
        switch (quick, task) {
        case (true, _):
            return Sizes(maxLength: 12, testCount: 60, perSide: 800, vocabularySize: 400, embedding: 32, hidden: 64, batch: 16,
                         classifierSteps: 40, lmSteps: 80, warmupSteps: 60, directSteps: 40, crossSteps: 80, rate: 3e-3, temperature: 0.5,
                         styleWeight: 1, fluencyWeight: 0.5, cycleWeight: 1, copyWeight: 1, gamma: 0.1, adversarialWeight: 1, logEvery: 10, seeds: 1,
                         monitorCount: 30, monitorEvery: 20)
        case (false, .bible):
            return Sizes(maxLength: 14, testCount: 200, perSide: 5000, vocabularySize: 1000, embedding: 48, hidden: 96, batch: 24,
                         classifierSteps: 100, lmSteps: 150, warmupSteps: 1500, directSteps: 60, crossSteps: 150, rate: 3e-3, temperature: 0.5,
                         styleWeight: 0.3, fluencyWeight: 0.25, cycleWeight: 1, copyWeight: 1, gamma: 0.1, adversarialWeight: 1, logEvery: 20,
                         seeds: 3, monitorCount: 100, monitorEvery: 100)
        case (false, .sentiment):
            return Sizes(maxLength: 15, testCount: 200, perSide: 3000, vocabularySize: 1200, embedding: 48, hidden: 96, batch: 24,
                         classifierSteps: 100, lmSteps: 150, warmupSteps: 1500, directSteps: 60, crossSteps: 150, rate: 3e-3, temperature: 0.5,
                         styleWeight: 0.3, fluencyWeight: 0.25, cycleWeight: 1, copyWeight: 1, gamma: 0.1, adversarialWeight: 1, logEvery: 20,
                         seeds: 3, monitorCount: 100, monitorEvery: 100)
        }
    }

    /// The systems compared.
    enum Method: String, LabMethod {
        /// The input itself.
        case copy = "copy"
        /// The nearest training sentence of the other style (TF-IDF cosine).
        case retrieve = "retrieve"
        /// `DirectStyleTransfer`.
        case direct = "direct"
        /// Shen et al.'s (2017) `CrossAlignedAutoencoder`.
        case crossAligned = "cross-aligned"
        /// The other translation itself (the Bible: paired).
        case reference = "reference"
        /// Held-out sentences of the target sentiment (unpaired: no reference exists).
        case real = "real"

        /// None: no published numbers on the Bible pairing are comparable, and Shen et al.'s (2017)
        /// sentiment accuracy is on Yelp (the notes give it as context).
        var paper: Double? { nil }
    }

    /// The systems of `task`, in report order: on the Bible "reference" is the other translation
    /// itself; on the unpaired sentiment task "real" is held-out sentences of the target sentiment.
    static func methods(_ task: Task) -> [Method] {
        [.copy, .retrieve, .direct, .crossAligned, task == .bible ? .reference : .real]
    }
    /// The two directions: (source style, target style, name).
    static func directions(_ task: Task) -> [(Int, Int, String)] {
        task == .bible ? [(0, 1, "archaic→modern"), (1, 0, "modern→archaic")] : [(0, 1, "negative→positive"), (1, 0, "positive→negative")]
    }

    /// The corpus of one seed's run (each seed draws its own held-out sentences).
    func loadCorpus(sizes: Sizes, seed: UInt64) throws -> StyleTransferCorpus {
        switch task {
        case .bible:
            return try StyleTransferCorpus(try BibleVerses.load(), maxLength: sizes.maxLength, testCount: sizes.testCount, perSide: sizes.perSide,
                                           vocabularySize: sizes.vocabularySize, seed: seed)
        case .sentiment:
            let missing = missingData()
            guard missing.isEmpty else {
                throw LabError("\(name) needs \(missing.joined(separator: ", ")), which is not in \(home.path): "
                               + "run `graft data fetch rt` (or set GRAFT_DATA to a folder that has it)")
            }
            return try StyleTransferCorpus(sentiment: try RottenTomatoes.load(dataHome: home), maxLength: sizes.maxLength, testCount: sizes.testCount,
                                           perSide: sizes.perSide, vocabularySize: sizes.vocabularySize, seed: seed)
        }
    }

    /// Runs every seed and records the comparison.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick, task: task)
        let perSeed = 2 * (sizes.classifierSteps + 2 * sizes.lmSteps) + sizes.warmupSteps + sizes.directSteps + sizes.crossSteps
        context.planSteps(perSeed * sizes.seeds)
        var results: [StyleTransferSeedResult] = []
        for s in 0..<sizes.seeds {
            let seed = context.options.seed &+ UInt64(s)
            let corpus = try loadCorpus(sizes: sizes, seed: seed)
            results.append(try runSeed(seed, corpus: corpus, sizes: sizes, context: context))
        }
        try StyleTransferReport(task: task, sizes: sizes, results: results, context: context).record()
    }

    /// A style classifier and a language model per style, trained on the unpaired training sides.
    struct Judges { let classifier: StyleClassifier; let languageModels: [TokenGenerator] }

    /// Trains `Judges` with weights and batches drawn from `seed`; `role` and `tag` name their training loops.
    func trainJudges(_ corpus: StyleTransferCorpus, sizes: Sizes, seed: UInt64, role: String, tag: String, context: LabContext) throws -> Judges {
        let v = corpus.vocabulary
        let g = RandomGenerator(seed: seed)
        let classifier = StyleClassifier(vocabulary: v.count, length: sizes.maxLength + 1, padIndex: v.padIndex, embedding: sizes.embedding,
                                         widths: [1, 2, 3, 4], maps: 32, generator: g)
        let cOptimizer = Adam(classifier.namedParameters(), learningRate: 2e-3)
        let half = sizes.batch
        try context.train("\(role) style classifier, \(tag)", steps: sizes.classifierSteps,
                          tracking: ["classifier": classifier, "optimizer": cOptimizer, "random": g]) { _ in
            let batch = (0..<2).flatMap { s in (0..<half).map { _ in corpus.tokens[s][g.nextInt(below: corpus.tokens[s].count)] } }
            let loss = classifier.trainStep(batch, styles: [Int](repeating: 0, count: half) + [Int](repeating: 1, count: half), optimizer: cOptimizer)
            return ["loss": Double(loss)]
        }
        let models = try (0..<2).map { s -> TokenGenerator in
            let lm = TokenGenerator(vocabulary: v.count, embedding: sizes.embedding, hidden: sizes.hidden, startToken: v.beginIndex, generator: g)
            let optimizer = Adam(lm.namedParameters(), learningRate: 3e-3)
            try context.train("\(role) language model (\(corpus.styleNames[s])), \(tag)", steps: sizes.lmSteps,
                              tracking: ["model": lm, "optimizer": optimizer, "random": g]) { _ in
                let batch = (0..<sizes.batch).map { _ in corpus.tokens[s][g.nextInt(below: corpus.tokens[s].count)] }
                return ["loss": Double(lm.fitStep(batch, endIndex: v.endIndex, padIndex: v.padIndex, optimizer: optimizer))]
            }
            return lm
        }
        for m in [classifier] as [Module] + models { m.eval(); m.freeze() }
        return Judges(classifier: classifier, languageModels: models)
    }

    /// A point of a training curve.
    struct CurvePoint: Codable { let step: Int, value: Double }

    /// Trains both models of one seed and scores every system on the held-out verses.
    func runSeed(_ seed: UInt64, corpus: StyleTransferCorpus, sizes: Sizes, context: LabContext) throws -> StyleTransferSeedResult {
        let v = corpus.vocabulary
        var result = StyleTransferSeedResult(corpus: corpus)
        let tag = "seed \(seed)"
        // The judges that train the direct model, and separate ones (other weights and batches) that score every system.
        let critics = try trainJudges(corpus, sizes: sizes, seed: seed &* 31 &+ 200, role: "training", tag: tag, context: context)
        let judges = try trainJudges(corpus, sizes: sizes, seed: seed &* 31 &+ 500, role: "evaluation", tag: tag, context: context)
        let g = RandomGenerator(seed: seed &* 1_000_003 &+ 29)
        func batches() -> [[[Int]]] { (0..<2).map { s in (0..<sizes.batch).map { _ in corpus.tokens[s][g.nextInt(below: corpus.tokens[s].count)] } } }
        // The training curves, continued by every loop of the seed.
        let curves = Tracked([String: [CurvePoint]]())
        func add(_ curve: String, _ step: Int, _ value: Double) { curves.value[curve, default: []].append(CurvePoint(step: step, value: value)) }

        // (1) Direct transfer.
        let config = StyleTransferConfig(vocabulary: v.count, embedding: sizes.embedding, hidden: sizes.hidden, maxLength: sizes.maxLength,
                                         temperature: sizes.temperature, noise: false, cycleWeight: sizes.cycleWeight, styleWeight: sizes.styleWeight,
                                         fluencyWeight: sizes.fluencyWeight, padIndex: v.padIndex, beginIndex: v.beginIndex, endIndex: v.endIndex)
        let directRandom = RandomGenerator(seed: seed &+ 100)
        let direct = try DirectStyleTransfer(config, generator: directRandom)
        let optimizer = Adam(direct.namedParameters(), learningRate: sizes.rate)
        // Content curves: the first direction's greedy transfers of a few held-out inputs.
        let (monitorFrom, monitorTo, _) = Self.directions(task)[0]
        let monitorInputs = Array(corpus.heldOut[monitorFrom].prefix(sizes.monitorCount))
        let monitorReferences = corpus.references(from: monitorFrom, to: monitorTo).map { Array($0.prefix(sizes.monitorCount)) }
        func monitor(_ step: Int) throws {
            let out = zip(direct.transfer(monitorInputs.map(corpus.encode), to: monitorTo), monitorInputs)
                .map { corpus.decode($0, copyingUnknownsFrom: $1) }
            let bleu = { (references: [[String]]) in
                try BLEU.corpus(candidates: out, references: references, maxOrder: 4, smoothing: .method1).score
            }
            add("BLEU to the input", step, 100 * (try bleu(monitorInputs)))
            if let references = monitorReferences { add("BLEU to the reference", step, 100 * (try bleu(references))) }
            add("target style %", step, 100 * judges.classifier.share(out.map(corpus.encode), classifiedAs: monitorTo))
        }
        try monitor(0)
        let directState: KeyValuePairs<String, any Resumable> = ["model": direct, "optimizer": optimizer, "batches": g,
                                                                 "model's random": directRandom, "curves": curves]
        try context.train("direct transfer warm-up, \(tag)", steps: sizes.warmupSteps, tracking: directState) { step in
            let loss = direct.identityStep(batches(), optimizer: optimizer, copyWeight: sizes.copyWeight)
            if step.number % sizes.logEvery == 0 { add("direct warm-up identity", step.number, Double(loss)) }
            if step.number % sizes.monitorEvery == 0 { try monitor(step.number) }
            return ["identity": Double(loss)]
        }
        let sums = Tracked([Double](repeating: 0, count: 5))
        try context.train("direct transfer, \(tag)", steps: sizes.directSteps,
                          tracking: ["model": direct, "optimizer": optimizer, "batches": g, "model's random": directRandom,
                                     "curves": curves, "sums": sums]) { step in
            // λ_copy falls linearly from its warm-up value to 0 over the full objective's steps.
            let copyWeight = sizes.copyWeight * Float(sizes.directSteps - step.number) / Float(sizes.directSteps)
            let l = direct.trainStep(batches(), classifier: critics.classifier, languageModels: critics.languageModels, optimizer: optimizer,
                                     generator: g, copyWeight: copyWeight)
            for (i, x) in [l.identity, l.copy, l.cycle, l.style, l.fluency].enumerated() { sums.value[i] += Double(x) }
            if step.number % sizes.logEvery == 0 {
                for (i, name) in ["identity", "copy", "cycle", "style", "fluency"].enumerated() {
                    add("direct \(name)", sizes.warmupSteps + step.number, sums.value[i] / Double(sizes.logEvery))
                }
                sums.value = [0, 0, 0, 0, 0]
            }
            if step.number % sizes.monitorEvery == 0 || step.isLast { try monitor(sizes.warmupSteps + step.number) }
            return ["loss": Double(l.total), "identity": Double(l.identity), "copy": Double(l.copy), "cycle": Double(l.cycle),
                    "style": Double(l.style), "fluency": Double(l.fluency)]
        }

        // (2) The cross-aligned autoencoder (its outputs get the same unknown-word copy as the direct model's).
        let crossRandom = RandomGenerator(seed: seed &+ 300)
        let cross = CrossAlignedAutoencoder(vocabulary: v.count, embedding: sizes.embedding, styleSize: sizes.hidden / 4, contentSize: sizes.hidden,
                                            maxLength: sizes.maxLength, maps: 32, widths: [1, 2, 3, 4], gamma: sizes.gamma,
                                            adversarialWeight: sizes.adversarialWeight, padIndex: v.padIndex, beginIndex: v.beginIndex,
                                            endIndex: v.endIndex, generator: crossRandom)
        let aeOptimizer = Adam(cross.autoencoderParameters(), learningRate: sizes.rate)
        let dOptimizer = Adam(cross.discriminatorParameters(), learningRate: sizes.rate)
        let crossSums = Tracked([0.0, 0.0, 0.0])
        try context.train("cross-aligned, \(tag)", steps: sizes.crossSteps,
                          tracking: ["model": cross, "autoencoder optimizer": aeOptimizer, "discriminator optimizer": dOptimizer, "batches": g,
                                     "model's random": crossRandom, "curves": curves, "sums": crossSums]) { step in
            let l = cross.trainStep(batches(), autoencoderOptimizer: aeOptimizer, discriminatorOptimizer: dOptimizer)
            crossSums.value[0] += Double(l.reconstruction); crossSums.value[1] += Double(l.discriminator); crossSums.value[2] += l.aligned ? 1 : 0
            if step.number % sizes.logEvery == 0 {
                add("cross-aligned reconstruction", step.number, crossSums.value[0] / Double(sizes.logEvery))
                add("cross-aligned discriminator", step.number, crossSums.value[1] / Double(sizes.logEvery))
                add("cross-aligned aligned share", step.number, crossSums.value[2] / Double(sizes.logEvery))
                crossSums.value = [0, 0, 0]
            }
            return ["reconstruction": Double(l.reconstruction), "discriminator": Double(l.discriminator), "adversarial": Double(l.adversarial)]
        }
        result.curves = curves.value.mapValues { points in points.map { ($0.step, $0.value) } }

        // (3) Outputs and scores per direction.
        for (from, to, name) in Self.directions(task) {
            let inputs = corpus.heldOut[from], references = corpus.references(from: from, to: to)
            let encoded = inputs.map(corpus.encode)
            let index = NearestSentence(corpus: corpus.words[to])
            var outputs: [Method: [[String]]] = [
                .copy: inputs,
                .retrieve: inputs.map { index.nearest($0) },
                .direct: zip(direct.transfer(encoded, to: to), inputs).map { corpus.decode($0, copyingUnknownsFrom: $1) },
                .crossAligned: zip(cross.transfer(encoded, from: from), inputs).map { corpus.decode($0, copyingUnknownsFrom: $1) },
            ]
            outputs[Self.methods(task)[4]] = references ?? corpus.heldOut[to]
            for (method, out) in outputs {
                result.outputs[name, default: [:]][method] = out
                result.scores[name, default: [:]][method] = try Self.score(out, inputs: inputs, references: references, target: to,
                                                                          corpus: corpus, judges: judges)
            }
        }
        return result
    }

    /// BLEU-4 ×100 to the references (nil without references) and to the inputs, the
    /// target-style share under the evaluation classifier (%) and the perplexity under the target
    /// style's evaluation language model.
    static func score(_ outputs: [[String]], inputs: [[String]], references: [[String]]?, target: Int, corpus: StyleTransferCorpus,
                      judges: Judges) throws -> StyleTransferScores {
        let v = corpus.vocabulary
        let ids = outputs.map(corpus.encode)
        return StyleTransferScores(
            bleu: try references.map { 100 * (try BLEU.corpus(candidates: outputs, references: $0, maxOrder: 4, smoothing: .method1).score) },
            selfBLEU: 100 * (try BLEU.corpus(candidates: outputs, references: inputs, maxOrder: 4, smoothing: .method1).score),
            styleAccuracy: 100 * judges.classifier.share(ids, classifiedAs: target),
            perplexity: judges.languageModels[target].perplexity(ids, endIndex: v.endIndex, padIndex: v.padIndex),
            meanLength: Double(outputs.map(\.count).reduce(0, +)) / Double(max(1, outputs.count)))
    }
}

/// The four measures of one system in one direction.
struct StyleTransferScores {
    /// BLEU-4 ×100 against the other translation of each verse (nil on an unpaired corpus).
    let bleu: Double?
    /// BLEU-4 ×100 against the input verse (content kept; the issue's "self-BLEU").
    let selfBLEU: Double
    /// The share (%) the evaluation classifier assigns to the target style.
    let styleAccuracy: Double
    /// Perplexity under the evaluation language model of the target style.
    let perplexity: Double
    /// Mean output length in words (perplexity favours short outputs, so it is shown beside it).
    let meanLength: Double
}

/// What one seed of the style-transfer lab produced.
struct StyleTransferSeedResult {
    let corpus: StyleTransferCorpus
    /// Outputs (words) per direction and system, in test order.
    var outputs: [String: [StyleTransferLab.Method: [[String]]]] = [:]
    /// Scores per direction and system.
    var scores: [String: [StyleTransferLab.Method: StyleTransferScores]] = [:]
    /// (step, value) training curves.
    var curves: [String: [(Int, Double)]] = [:]
}
