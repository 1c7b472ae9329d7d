import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Zero-shot translation (Johnson et al. 2017, "Google's multilingual neural machine translation
/// system: enabling zero-shot translation"): one attention seq2seq model, a token such as `<2C>`
/// at the start of each source naming the target language, asked to translate B→C, a direction it
/// never saw. Seeded artificial languages (their own words, word orders and morphology) render the
/// same meanings; test meanings are held out of every training pair. Two multilingual set-ups:
/// the paper's bridge set-up, trained on A↔B and A↔C only (every B or C source then goes to A, so
/// the target token matters only for A sources), and a four-language set-up trained on every
/// direction between A, B, C and D except B↔C (so `<2C>` is learned with sources A and D, and B
/// sources are learned going to A and D). Baselines: a model of the same size trained on B→C
/// directly (the upper bound), and pivoting B→A→C with each multilingual model. Corpus BLEU-4,
/// exact-match rates and the language of the zero-shot output on the held-out meanings.
public struct ZeroShotTranslationLab: Lab {
    /// "zero-shot-translation".
    public let name = "zero-shot-translation"
    /// The title.
    public let title = "Zero-shot translation between artificial languages"
    /// The claim.
    public let claim = """
        A multilingual seq2seq model trained with a target-language token translates B→C, a direction it never saw (Johnson et \
        al. 2017); tested after training on A↔B and A↔C, and after training on every direction among A, B, C and D but B↔C, \
        against a direct B→C model and pivoting through A.
        """
    /// Synthetic languages, generated from the seed: no data set.
    public let datasets: [String] = []

    /// The lab.
    public init() {}

    /// Sizes of a run.
    struct Sizes {
        var space: MeaningSpace
        /// Training meanings (each rendered in every language).
        var trainMeanings: Int
        /// Held-out meanings for the final BLEU, and for the learning curves.
        var testMeanings: Int, devMeanings: Int
        /// Optimisation steps of the bridge model (four directions to learn), of the four-language
        /// model (ten directions) and of the direct model (one), and examples per step.
        var multilingualSteps: Int, fourLanguageSteps: Int, steps: Int, batch: Int
        var embedding: Int, hidden: Int
        /// Steps between points of the learning curves.
        var evalEvery: Int
        var seeds: Int
        var learningRate: Float = 5e-3
    }

    /// A multilingual training set-up: the directions its model learns (indices into A, B, C, D).
    struct Setup {
        /// Prefix of the set-up's metric names ("" for the bridge set-up, kept from the first version of the lab).
        let prefix: String
        /// Short name in figures and notes.
        let title: String
        /// (source, target) language indices of the training pairs.
        let directions: [(Int, Int)]
        /// Optimisation steps.
        let steps: Int
        /// The directions written as "A→B, B→A, ...".
        var directionList: String { directions.map { "\(Self.letter($0.0))→\(Self.letter($0.1))" }.joined(separator: ", ") }
        /// The name of language `i` ("A" for 0).
        static func letter(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + i))) }
    }

    /// The two set-ups: A↔B and A↔C (the paper's bridge set-up), and every direction among A, B, C, D except B↔C.
    static func setups(_ sizes: Sizes) -> [Setup] {
        let bridge = Setup(prefix: "", title: "A↔B, A↔C", directions: [(0, 1), (1, 0), (0, 2), (2, 0)], steps: sizes.multilingualSteps)
        let all = (0..<4).flatMap { s in (0..<4).map { (s, $0) } }.filter { $0.0 != $0.1 && !(Set([$0.0, $0.1]) == Set([1, 2])) }
        let four = Setup(prefix: "4-language ", title: "4 languages, all but B↔C", directions: all, steps: sizes.fourLanguageSteps)
        return [bridge, four]
    }

    /// The three routes to B→C, in report order; the raw value keys a seed's results (after the
    /// set-up's prefix).
    enum Method: String, LabMethod {
        /// A multilingual model asked for B→C, which it never saw.
        case zeroShot = "zero-shot"
        /// A multilingual model's B→A, then its A→C.
        case pivot = "pivot"
        /// A model of the same size trained on B→C.
        case direct = "direct"

        /// The route's name in metric names.
        var title: String {
            switch self {
            case .zeroShot: "zero-shot B→C"
            case .pivot: "pivot B→A→C"
            case .direct: "direct B→C"
            }
        }

        /// Johnson et al. (2017, table 6, WMT Portuguese→Spanish) BLEU of the route: for scale only,
        /// in the notes (real languages, far larger models).
        var paper: Double? {
            switch self {
            case .zeroShot: 24.75
            case .pivot: 30.91
            case .direct: 31.50
            }
        }
    }

    /// The key of the supervised A→C direction's scores in a seed's results (after the set-up's prefix).
    static let supervised = "supervised A→C"

    /// The measurements of one seed; keys of the set-up's routes are prefixed with `Setup.prefix`.
    struct SeedResult {
        /// BLEU-4 (×100) and exact-match rate (%) per route, and of the supervised A→C direction.
        var bleu: [String: Double] = [:], exact: [String: Double] = [:]
        /// Share of zero-shot output tokens that are words of each language (%), keyed by prefix + language name.
        var language: [String: Double] = [:]
        /// (step, value) curves: training loss per model, dev BLEU per route.
        var loss: [String: [(Int, Double)]] = [:], dev: [String: [(Int, Double)]] = [:]
        /// Sample rows: B source, C reference, zero-shot of each set-up, pivot, direct.
        var samples: [[String]] = []
    }

    /// Runs every seed and records the BLEU of each route.
    public func run(_ context: LabContext) throws {
        let sizes = context.options.quick
            ? Sizes(space: MeaningSpace(nouns: 5, verbs: 3, adjectives: 2), trainMeanings: 1200, testMeanings: 60, devMeanings: 30,
                    multilingualSteps: 700, fourLanguageSteps: 1000, steps: 250, batch: 32, embedding: 24, hidden: 48, evalEvery: 100, seeds: 1)
            : Sizes(space: MeaningSpace(nouns: 16, verbs: 10, adjectives: 6), trainMeanings: 6000, testMeanings: 400, devMeanings: 100,
                    multilingualSteps: 4000, fourLanguageSteps: 5000, steps: 1500, batch: 64, embedding: 48, hidden: 96, evalEvery: 250, seeds: 3)
        var results: [SeedResult] = []
        var languagesOfFirstSeed: [SyntheticLanguage] = []
        for s in 0..<sizes.seeds {
            let seedS = context.options.seed &+ UInt64(s)
            let (result, languages) = try runSeed(seedS, index: s, sizes: sizes, context: context)
            if s == 0 { languagesOfFirstSeed = languages }
            results.append(result)
        }
        record(results, sizes: sizes, languages: languagesOfFirstSeed, context: context)
    }

    /// The task of one seed: languages, vocabulary and the split of meanings.
    struct Task {
        let languages: [SyntheticLanguage]
        let vocabulary: Vocabulary
        let train: [Meaning], dev: [Meaning], test: [Meaning]
        var a: SyntheticLanguage { languages[0] }
        var b: SyntheticLanguage { languages[1] }
        var c: SyntheticLanguage { languages[2] }
        /// The token asking for a translation into `language`.
        static func tag(_ language: SyntheticLanguage) -> String { "<2\(language.name)>" }
        /// The encoder's input for `sentence` to be translated into `to`: `<2T>` + the sentence, fed
        /// in reverse (Sutskever et al. 2014) so that the unidirectional encoder reads the target token
        /// last and its final state, which starts the decoder, carries it.
        func source(_ sentence: [String], to: SyntheticLanguage) -> [Int] {
            Array(vocabulary.encode([Task.tag(to)] + sentence).reversed())
        }
        /// A training or test pair: the encoder input and the target sentence.
        func pair(_ m: Meaning, _ from: SyntheticLanguage, _ to: SyntheticLanguage) -> (source: [Int], target: [Int]) {
            (source(from.render(m), to: to), vocabulary.encode(to.render(m)))
        }
    }

    /// Draws the four languages (A, B, C, D; one shared vocabulary) and the train/dev/test meanings (disjoint) of seed `seed`.
    func makeTask(_ seed: UInt64, sizes: Sizes) throws -> Task {
        let languages = SyntheticLanguage.family(count: 4, space: sizes.space, seed: seed &* 31 &+ 7)
        let vocabulary = try Vocabulary(tokens: SpecialTokens.standard.tokens + languages.map(Task.tag) + languages.flatMap(\.words))
        let g = RandomGenerator(seed: seed &* 37 &+ 11)
        var taken = Set<Int>()
        func draw(_ n: Int) -> [Meaning] {
            var out: [Meaning] = []
            while out.count < n {
                let i = g.nextInt(below: sizes.space.count)
                if taken.insert(i).inserted { out.append(sizes.space.meaning(at: i)) }
            }
            return out
        }
        let test = draw(sizes.testMeanings), dev = draw(sizes.devMeanings), train = draw(sizes.trainMeanings)
        return Task(languages: languages, vocabulary: vocabulary, train: train, dev: dev, test: test)
    }

    /// Trains the direct model and each set-up's multilingual model of one seed and evaluates the routes.
    func runSeed(_ seed: UInt64, index: Int, sizes: Sizes, context: LabContext) throws -> (SeedResult, [SyntheticLanguage]) {
        let task = try makeTask(seed, sizes: sizes)
        let (a, b, c) = (task.a, task.b, task.c)
        let config = Seq2SeqConfig(sourceVocabulary: task.vocabulary.count, targetVocabulary: task.vocabulary.count,
                                   embedding: sizes.embedding, hidden: sizes.hidden)
        var result = SeedResult()
        let setups = Self.setups(sizes)
        let references = task.test.map { c.render($0) }
        func score(_ route: String, _ outputs: [[String]]) throws {
            result.bleu[route] = try 100 * BLEU.corpus(candidates: outputs, references: references, shortCandidates: .countZero).score
            result.exact[route] = 100 * Double(zip(outputs, references).filter { $0 == $1 }.count) / Double(references.count)
        }
        // The direct model: B→C pairs of the training meanings.
        let directRandom = RandomGenerator(seed: seed &+ 100)
        let direct = try Seq2Seq(config, generator: directRandom)
        let directRun = try train(direct, random: directRandom, pairs: task.train.map { task.pair($0, b, c) }, steps: sizes.steps, sizes: sizes,
                                  seed: seed &+ 300, label: "direct model, seed \(seed)", context: context) { _ in
            [("direct B→C", try bleu(translate(direct, task, task.dev, from: b, to: c), task.dev, c, task))]
        }
        result.loss["direct (B→C)"] = directRun.loss
        for (key, points) in directRun.dev { result.dev[key, default: []] += points }
        let directOut = translate(direct, task, task.test, from: b, to: c)
        try score(Method.direct.rawValue, directOut)
        var zeroShots: [[[String]]] = [], pivots: [[[String]]] = []
        for (k, setup) in setups.enumerated() {
            let pairs = task.train.flatMap { m in setup.directions.map { task.pair(m, task.languages[$0.0], task.languages[$0.1]) } }
            let random = RandomGenerator(seed: seed &+ 100 &+ UInt64(k))
            let model = try Seq2Seq(config, generator: random)
            let run = try train(model, random: random, pairs: pairs, steps: setup.steps, sizes: sizes, seed: seed &+ 200 &+ UInt64(k),
                                label: "multilingual model (\(setup.title)), seed \(seed)", context: context) { _ in
                [("zero-shot B→C (\(setup.title))", try bleu(translate(model, task, task.dev, from: b, to: c), task.dev, c, task)),
                 ("supervised A→C (\(setup.title))", try bleu(translate(model, task, task.dev, from: a, to: c), task.dev, c, task))]
            }
            result.loss["multilingual (\(setup.title))"] = run.loss
            for (key, points) in run.dev { result.dev[key, default: []] += points }
            // The routes on held-out meanings.
            let zeroShot = translate(model, task, task.test, from: b, to: c)
            let pivot = translate(model, task, sources: translate(model, task, task.test, from: b, to: a), to: c)
            try score(setup.prefix + Method.zeroShot.rawValue, zeroShot)
            try score(setup.prefix + Method.pivot.rawValue, pivot)
            try score(setup.prefix + Self.supervised, translate(model, task, task.test, from: a, to: c))
            let tokens = zeroShot.flatMap { $0 }
            for language in task.languages {
                let words = Set(language.words)
                let share = tokens.isEmpty ? 0 : 100 * Double(tokens.filter(words.contains).count) / Double(tokens.count)
                result.language[setup.prefix + language.name] = share
            }
            zeroShots.append(zeroShot); pivots.append(pivot)
        }
        result.samples = (0..<min(8, task.test.count)).map { i in
            ([b.render(task.test[i]), references[i]] + zeroShots.map { $0[i] } + [pivots[0][i], directOut[i]]).map { $0.joined(separator: " ") }
        }
        return (result, task.languages)
    }

    /// A point of a curve: a step and its value.
    struct Point: Codable { var step: Int; var value: Double }

    /// What a model's training loop builds up: the loss curve, the dev points and the running loss.
    struct TrainingCurves: Codable {
        var loss: [Point] = [], dev: [String: [Point]] = [:]
        var running = 0.0, count = 0
    }

    /// Trains `model` (whose dropout draws from `random`) for `steps` steps on `pairs` in
    /// length-bucketed batches (Adam, gradients clipped at norm 5), as the training loop `label`
    /// of `context`; `evaluate` gives named dev scores, asked for before the first step, every
    /// `evalEvery` steps and at the end. Returns the mean training loss over each stretch of
    /// `evalEvery` steps and the dev scores by name, as (step, value) points.
    func train(_ model: Seq2Seq, random: RandomGenerator, pairs: [(source: [Int], target: [Int])], steps: Int, sizes: Sizes,
               seed: UInt64, label: String, context: LabContext,
               evaluate: (Int) throws -> [(String, Double)]) throws -> (loss: [(Int, Double)], dev: [String: [(Int, Double)]]) {
        let optimizer = Adam(model.namedParameters(), learningRate: sizes.learningRate)
        let sampler = LengthBucketSampler(lengths: pairs.map { $0.source.count }, batchSize: sizes.batch, batchesPerBucket: 20, seed: seed)
        let perEpoch = sampler.batchCount
        var dev: [String: [(Int, Double)]] = [:]
        for (key, value) in try evaluate(0) { dev[key, default: []].append((0, value)) }
        let curves = Tracked(TrainingCurves())
        var batches: (epoch: Int, indices: [[Int]]) = (-1, [])
        try context.train(label, steps: steps, tracking: ["model": model, "optimizer": optimizer, "random": random, "curves": curves]) { step in
            let epoch = step.index / perEpoch
            if batches.epoch != epoch { batches = (epoch, sampler.batches(epoch: epoch)) }
            let indices = batches.indices[step.index % perEpoch]
            let batch = Seq2SeqBatch(sources: indices.map { pairs[$0].source }, targets: indices.map { pairs[$0].target },
                                     padIndex: model.config.padIndex, beginIndex: model.config.beginIndex, endIndex: model.config.endIndex)
            let loss = model.trainStep(batch, optimizer: optimizer, clipNorm: 5)
            guard loss.isFinite else { return ["loss": Double(loss)] }
            curves.value.running += Double(loss); curves.value.count += 1
            if step.number % sizes.evalEvery == 0 || step.isLast {
                curves.value.loss.append(Point(step: step.number, value: curves.value.running / Double(curves.value.count)))
                curves.value.running = 0; curves.value.count = 0
                for (key, value) in try evaluate(step.number) { curves.value.dev[key, default: []].append(Point(step: step.number, value: value)) }
            }
            return ["loss": Double(loss)]
        }
        for (key, points) in curves.value.dev { dev[key, default: []] += points.map { ($0.step, $0.value) } }
        return (curves.value.loss.map { ($0.step, $0.value) }, dev)
    }

    /// Greedy translations of `meanings` rendered in `from`, into `to`.
    func translate(_ model: Seq2Seq, _ task: Task, _ meanings: [Meaning], from: SyntheticLanguage, to: SyntheticLanguage) -> [[String]] {
        translate(model, task, sources: meanings.map { from.render($0) }, to: to)
    }

    /// Greedy translations of source sentences into `to` (the `<2T>` token prepended), in batches of 128.
    func translate(_ model: Seq2Seq, _ task: Task, sources: [[String]], to: SyntheticLanguage) -> [[String]] {
        var out: [[String]] = []
        var start = 0
        while start < sources.count {
            let chunk = sources[start..<min(start + 128, sources.count)].map { task.source($0, to: to) }
            let padded = padBatch(chunk, padIndex: task.vocabulary.padIndex)
            let ids = model.greedy(padded.tokens, lengths: padded.lengths, maxLength: 12)
            out += ids.map { task.vocabulary.decode($0, stripSpecial: true) }
            start += 128
        }
        return out
    }

    /// Corpus BLEU-4 (×100, short sentences counting no higher-order n-grams) of `outputs` against the renderings of `meanings` in `language`.
    func bleu(_ outputs: [[String]], _ meanings: [Meaning], _ language: SyntheticLanguage, _ task: Task) throws -> Double {
        try 100 * BLEU.corpus(candidates: outputs, references: meanings.map { language.render($0) }, shortCandidates: .countZero).score
    }

    /// Records metrics, curves, figures and notes from every seed's results.
    func record(_ results: [SeedResult], sizes: Sizes, languages: [SyntheticLanguage], context: LabContext) {
        let seeds = results.count
        let setups = Self.setups(sizes)
        let f1 = { (v: Double) in String(format: "%.1f", v) }
        func mean(_ v: [Double]) -> Double { ClassifierKit.mean(v) }
        func values(_ key: String, _ path: KeyPath<SeedResult, [String: Double]>) -> [Double] { results.map { $0[keyPath: path][key] ?? 0 } }
        func pm(_ v: [Double]) -> String { seeds > 1 ? "\(f1(mean(v))) ± \(f1(ClassifierKit.std(v)))" : f1(v[0]) }
        func metrics(_ key: String, _ name: String) {
            let bleu = values(key, \.bleu), exact = values(key, \.exact)
            // Corpus BLEU-4 ×100 on the held-out test meanings; the std is over seeds.
            context.metric("\(name) BLEU", mean(bleu))
            if seeds > 1 { context.metric("\(name) BLEU std", ClassifierKit.std(bleu)) }
            context.metric("\(name) exact match", mean(exact), unit: "%")
            if seeds > 1 { context.metric("\(name) exact match std", ClassifierKit.std(exact), unit: "%") }
        }
        let (zeroShot, pivot, direct) = (Method.zeroShot.rawValue, Method.pivot.rawValue, Method.direct.rawValue)
        metrics(direct, Method.direct.title)
        for setup in setups {
            for route in [Method.zeroShot, .pivot] { metrics(setup.prefix + route.rawValue, setup.prefix + route.title) }
            metrics(setup.prefix + Self.supervised, setup.prefix + Self.supervised)
            for language in languages where setup.prefix != "" || language.name != "D" {
                let share = values(setup.prefix + language.name, \.language)
                context.metric("\(setup.prefix)zero-shot output words of \(language.name)", mean(share), unit: "%")
                if seeds > 1 && language.name == "C" {
                    context.metric("\(setup.prefix)zero-shot output words of C std", ClassifierKit.std(share), unit: "%")
                }
            }
        }
        // Curves: means over seeds at each logged step.
        let lossCurve = context.curve("training loss", x: "step", y: "token cross-entropy")
        let devCurve = context.curve("dev BLEU", x: "step", y: "corpus BLEU-4 ×100")
        func logMean(_ curve: CurveHandle, _ series: String, _ path: KeyPath<SeedResult, [String: [(Int, Double)]]>) {
            guard let first = results[0][keyPath: path][series] else { return }
            for (i, point) in first.enumerated() {
                let v = results.map { $0[keyPath: path][series]?[i].1 ?? 0 }
                context.log(curve, series: series, x: Double(point.0), y: mean(v))
            }
        }
        for series in setups.map({ "multilingual (\($0.title))" }) + ["direct (B→C)"] { logMean(lossCurve, series, \.loss) }
        for series in setups.flatMap({ ["zero-shot B→C (\($0.title))", "supervised A→C (\($0.title))"] }) + ["direct B→C"] {
            logMean(devCurve, series, \.dev)
        }
        context.figure(.curve(devCurve, caption: """
            BLEU-4 on \(sizes.devMeanings) held-out dev meanings during training (mean over \(seeds) seed(s)): each multilingual \
            model's zero-shot B→C and supervised A→C, and the direct B→C model.
            """))
        context.figure(.curve(lossCurve, caption: "Mean teacher-forced token cross-entropy over each stretch of \(sizes.evalEvery) steps."))
        let barKeys = setups.flatMap { [$0.prefix + zeroShot, $0.prefix + pivot] } + [direct]
        let barLabels = setups.flatMap { ["zero-shot (\($0.title))", "pivot via A (\($0.title))"] } + ["direct"]
        context.figure(.bars(title: "B→C on held-out meanings", labels: barLabels,
                             series: [("BLEU-4 ×100", barKeys.map { mean(values($0, \.bleu)) }),
                                      ("exact match %", barKeys.map { mean(values($0, \.exact)) })],
                             unit: "", caption: "Test BLEU-4 and exact-match rate of the routes from B to C for both multilingual set-ups "
                                + "and the direct model (mean over \(seeds) seed(s))."))
        let rows = setups.map { setup -> [String] in
            [setup.title, pm(values(setup.prefix + zeroShot, \.bleu)), pm(values(setup.prefix + zeroShot, \.exact)),
             pm(values(setup.prefix + pivot, \.bleu)), pm(values(setup.prefix + Self.supervised, \.bleu))]
                + languages.map { l in setup.prefix == "" && l.name == "D" ? "–" : pm(values(setup.prefix + l.name, \.language)) }
        } + [["direct B→C model", pm(values(direct, \.bleu)), pm(values(direct, \.exact)), "–", "–"] + languages.map { _ in "–" }]
        let spread = seeds > 1 ? " ± std over \(seeds) seeds" : ", one seed"
        context.figure(.table(header: ["set-up", "zero-shot B→C BLEU", "zero-shot exact %", "pivot B→A→C BLEU", "supervised A→C BLEU"]
                                  + languages.map { "zero-shot words of \($0.name) %" }, rows: rows,
                              caption: "The two multilingual set-ups side by side on the held-out test meanings (mean\(spread)); "
                                + "the last columns give the language of the zero-shot B→C output tokens."))
        context.figure(.table(header: ["B source", "C reference"] + setups.map { "zero-shot (\($0.title))" }
                                  + ["pivot via A (\(setups[0].title))", "direct"],
                              rows: results[0].samples,
                              caption: "The first held-out test meanings of the first seed: the B sentence, its C reference and the routes' "
                                + "greedy outputs."))
        let lang = languages.map { l in
            "\(l.name): \(l.order.rawValue.uppercased()), adjectives \(l.adjectiveBeforeNoun ? "before" : "after") the noun, past marker "
                + "\(l.pastMarkerBeforeVerb ? "before" : "after") the verb, plural marker '\(l.pluralMarker)'"
        }.joined(separator: "; ")
        context.note("""
            Task: meanings (agent, action, patient, singular or plural nouns, optional adjectives, present or past) over \
            \(sizes.space.nouns) nouns, \(sizes.space.verbs) verbs and \(sizes.space.adjectives) adjectives (\(sizes.space.count) \
            meanings), rendered by four seeded artificial languages with disjoint vocabularies. First seed: \(lang). \
            \(sizes.trainMeanings) training meanings, \(sizes.devMeanings) dev and \(sizes.testMeanings) test meanings held out of all \
            training pairs.
            """)
        let vocabulary = SpecialTokens.standard.tokens.count + languages.count + languages.map(\.words.count).reduce(0, +)
        context.note("""
            Models: LSTM encoder-decoder with Luong general attention, embeddings \(sizes.embedding), hidden \(sizes.hidden), one \
            shared vocabulary of \(vocabulary) tokens with <2A>…<2D> target tokens prepended to the source (Johnson et al. 2017); the \
            encoder reads the source reversed (Sutskever et al. 2014), so the target token comes last. Set-up '\(setups[0].title)' \
            trains on \(setups[0].directionList) (\(setups[0].steps) steps); set-up '\(setups[1].title)' on \
            \(setups[1].directionList) (\(setups[1].steps) steps), so that <2C> is learned with sources A and D and B sources are \
            learned going to A and D; each pair is a training meaning rendered in both languages. The direct model, of the same size, \
            trains \(sizes.steps) steps on B→C pairs of the same meanings (Adam, learning rate \(sizes.learningRate), batches of \
            \(sizes.batch) from length buckets, gradient norm clipped at 5). Greedy decoding; \(seeds) seed(s)\
            \(seeds > 1 ? ", spreads are sample standard deviations over seeds" : "").
            """)
        let dr = values(direct, \.bleu)
        for setup in setups {
            let zs = values(setup.prefix + zeroShot, \.bleu), pv = values(setup.prefix + pivot, \.bleu)
            let sup = values(setup.prefix + Self.supervised, \.bleu)
            let gap = mean(dr) - mean(zs)
            let verdict: String
            if mean(zs) >= 0.9 * mean(dr) {
                verdict = "zero-shot translation came within 10% of the direct model's BLEU"
            } else if mean(zs) >= 0.5 * mean(dr) {
                verdict = "zero-shot translation worked partly: it reached \(f1(100 * mean(zs) / max(mean(dr), 1e-9)))% of the direct model's BLEU"
            } else if mean(zs) >= 0.1 * mean(dr) {
                verdict = "zero-shot translation was poor: \(f1(100 * mean(zs) / max(mean(dr), 1e-9)))% of the direct model's BLEU"
            } else {
                verdict = "zero-shot translation failed: below a tenth of the direct model's BLEU"
            }
            let shown = languages.filter { setup.prefix != "" || $0.name != "D" }
            let shares = shown.map { "\(f1(mean(values(setup.prefix + $0.name, \.language))))% of \($0.name)" }.joined(separator: ", ")
            let share = shown.max { mean(values(setup.prefix + $0.name, \.language)) < mean(values(setup.prefix + $1.name, \.language)) }
            let why = setup.prefix == ""
                ? " In these training pairs every B or C source translates into A, so only A sources need the target token."
                : " Here <2C> was learned with A and D sources and B sources were learned going into A and D."
            let inC = mean(values(setup.prefix + "C", \.language))
            let carried = inC >= 50 && mean(zs) < 0.5 * mean(dr)
                ? " So <2C> did select the output language, but the meaning of the B source did not carry over: the zero-shot outputs "
                    + "are mostly words of C that do not translate the source."
                : ""
            context.note("""
                Set-up '\(setup.title)': B→C BLEU-4 on held-out meanings zero-shot \(pm(zs)), pivot through A \(pm(pv)), direct \
                \(pm(dr)) (the model's supervised A→C: \(pm(sup))); \(verdict) (a gap of \(f1(gap)) BLEU).\(why) Of the zero-shot \
                output tokens, \(shares)\(share.map { " (mostly \($0.name))" } ?? ""). Exact-match rates: zero-shot \
                \(pm(values(setup.prefix + zeroShot, \.exact)))%, pivot \(pm(values(setup.prefix + pivot, \.exact)))%, direct \
                \(pm(values(direct, \.exact)))%.\(carried)
                """)
        }
        let paper = { (m: Method) in String(format: "%.2f", m.paper ?? .nan) }
        context.note("""
            For scale, Johnson et al. (2017, table 6, WMT Portuguese→Spanish) report \(paper(.zeroShot)) BLEU zero-shot for a model \
            trained on En↔{Es, Pt}, \(paper(.pivot)) for NMT bridged through English and \(paper(.direct)) for a direct Pt→Es model; \
            those are real languages with a shared wordpiece vocabulary and far larger models, so only the ordering is comparable.
            """)
    }
}
