import Foundation
import GraftMetrics

/// Turns the summarization lab's seeds into metrics, curves, tables and notes.
struct SummarizeReport {
    let sizes: SummarizeLab.Sizes
    let results: [SummarizeSeedResult]
    let context: LabContext

    /// One method's numbers on one seed's held-out articles.
    struct Scores {
        /// ROUGE F1 ×100 (means of per-article scores against the headline).
        let rouge1: Double, rouge2: Double, rougeL: Double
        /// Mean summary length in words.
        let length: Double
        /// The share (%) of summary words that occur in the article's first words.
        let copied: Double
        /// Distinct summaries as a share (%) of the articles (low: the same summary for many articles).
        let distinct: Double
        /// The most frequent summary and how many articles got it.
        let mostCommon: (summary: [String], count: Int)
    }

    static func scores(_ summaries: [[String]], corpus: SummarizeCorpus) throws -> Scores {
        let r = try ROUGE.corpus(candidates: summaries, references: corpus.test.map(\.title))
        var inArticle = 0, words = 0
        for (summary, item) in zip(summaries, corpus.test) {
            let source = Set(item.words)
            inArticle += summary.filter(source.contains).count
            words += summary.count
        }
        var counts: [[String]: Int] = [:]
        for summary in summaries { counts[summary, default: 0] += 1 }
        let top = counts.max { ($0.value, $1.key.joined(separator: " ")) < ($1.value, $0.key.joined(separator: " ")) } ?? ([], 0)
        return Scores(rouge1: 100 * r.rouge1.f1, rouge2: 100 * r.rouge2.f1, rougeL: 100 * r.rougeL.f1,
                      length: ClassifierKit.mean(summaries.map { Double($0.count) }), copied: 100 * Double(inArticle) / Double(max(words, 1)),
                      distinct: 100 * Double(counts.count) / Double(max(summaries.count, 1)), mostCommon: (top.key, top.value))
    }

    /// The summarizers.
    typealias Method = SummarizeLab.Method

    /// Records metrics, curves, tables and notes.
    func record() throws {
        let seeds = results.count
        let methods = SummarizeLab.methods(sizes)
        // Each row's scores per seed, by its label: the summarizers, then the headlines themselves.
        var perSeed: [String: [Scores]] = [:]
        for result in results {
            for method in methods {
                perSeed[method.name(sizes), default: []].append(try Self.scores(result.summaries[method]!, corpus: result.corpus))
            }
            perSeed["headline", default: []].append(try Self.scores(result.corpus.test.map(\.title), corpus: result.corpus))
        }
        let labels = methods.map { $0.name(sizes) } + ["headline"]
        func values(_ method: String, _ pick: (Scores) -> Double) -> [Double] { (perSeed[method] ?? []).map(pick) }
        let measures: [(name: String, unit: String, pick: (Scores) -> Double)] = [
            ("ROUGE-1", "F1 ×100", { $0.rouge1 }), ("ROUGE-2", "F1 ×100", { $0.rouge2 }), ("ROUGE-L", "F1 ×100", { $0.rougeL }),
            ("mean length", "words", { $0.length }), ("words from the article", "%", { $0.copied }),
            ("distinct summaries", "%", { $0.distinct }),
        ]
        for method in labels {
            for m in measures where !(method == "headline" && m.name.hasPrefix("ROUGE")) {
                let v = values(method, m.pick)
                context.metric("\(method) \(m.name)", ClassifierKit.mean(v), unit: m.unit)
                if seeds > 1 { context.metric("\(method) \(m.name) std", ClassifierKit.std(v), unit: m.unit) }
            }
        }
        let autoEncoders = [Method.unsupervised, .noDiscriminator].filter(methods.contains)
        for method in autoEncoders {
            // Teacher-forced token accuracy of the reconstructor reading greedy summaries of held-out
            // articles, and reading another held-out article's summary instead.
            let v = results.map { 100 * ($0.reconstruction[method] ?? 0) }, other = results.map { 100 * ($0.reconstructionOther[method] ?? 0) }
            let name = method.rawValue
            context.metric("\(name) reconstruction accuracy", ClassifierKit.mean(v), unit: "%")
            context.metric("\(name) reconstruction accuracy from another article's summary", ClassifierKit.mean(other), unit: "%")
            if seeds > 1 {
                context.metric("\(name) reconstruction accuracy std", ClassifierKit.std(v), unit: "%")
                context.metric("\(name) reconstruction accuracy from another article's summary std", ClassifierKit.std(other), unit: "%")
            }
        }
        let lm = results.map { 100 * $0.reconstructionWithoutSummary }
        context.metric("no-summary reconstruction accuracy", ClassifierKit.mean(lm), unit: "%",
                       note: "a reconstructor trained and tested on one constant summary: a language model of the articles")
        if seeds > 1 { context.metric("no-summary reconstruction accuracy std", ClassifierKit.std(lm), unit: "%") }
        context.metric("held-out headline words unknown to the supervised vocabulary",
                       ClassifierKit.mean(results.map { 100 * $0.unknownHeadlineShare }), unit: "%")
        context.metric("D(headline)", ClassifierKit.mean(results.map(\.discriminatorScores.real)))
        context.metric("D(unsupervised summary)", ClassifierKit.mean(results.map(\.discriminatorScores.summaries)))

        let reconstruction = context.curve("reconstruction", x: "step", y: "token cross-entropy")
        // Its y axis is labelled by its first series, the discriminator's loss; D(summary) is a probability.
        let discriminator = context.curve("discriminator", x: "step", y: "binary cross-entropy")
        for (curve, series) in [(reconstruction, "lead pre-training"), (reconstruction, "unsupervised reconstruction"),
                                (reconstruction, "no discriminator reconstruction"), (reconstruction, "supervised loss"),
                                (discriminator, "D loss"), (discriminator, "D(summary)")] {
            guard let first = results[0].curves[series] else { continue }
            for (i, point) in first.enumerated() {
                context.log(curve, series: series, x: Double(point.0), y: ClassifierKit.mean(results.map { $0.curves[series]?[i].1 ?? 0 }))
            }
        }
        context.figure(.curve(reconstruction, caption: """
            Training losses (mean over \(seeds) seed(s), each point the mean of \(sizes.logEvery) steps): the reconstructor's \
            cross-entropy of the article from the generator's summary, with and without the discriminator (after the generator's \
            lead pre-training, drawn at negative steps), and the supervised model's cross-entropy of the headline.
            """))
        context.figure(.curve(discriminator, caption: "The discriminator's loss (headlines of other articles against the generator's "
                                  + "summaries) and its mean probability of 'human' for the summaries."))
        let f = { (v: Double, d: Int) in String(format: "%.\(d)f", v) }
        func pm(_ v: [Double], _ d: Int = 1) -> String { seeds > 1 ? "\(f(ClassifierKit.mean(v), d)) ± \(f(ClassifierKit.std(v), d))" : f(v[0], d) }
        func reconstructionCells(_ label: String) -> [String] {
            guard let method = autoEncoders.first(where: { $0.rawValue == label }) else { return ["—", "—"] }
            return [pm(results.map { 100 * ($0.reconstruction[method] ?? 0) }), pm(results.map { 100 * ($0.reconstructionOther[method] ?? 0) })]
        }
        context.figure(.table(header: ["", "ROUGE-1", "ROUGE-2", "ROUGE-L", "mean length", "words from the article %", "distinct summaries %",
                                       "reconstruction accuracy %", "… from another article's summary %"],
                              rows: labels.map { method in
                                  [method]
                                      + measures.map { m in method == "headline" && m.name.hasPrefix("ROUGE") ? "—" : pm(values(method, m.pick)) }
                                      + reconstructionCells(method)
                              } + [["no summary (article language model)"] + [String](repeating: "—", count: measures.count) + [pm(lm), "—"]],
                              caption: """
                                Summaries of the \(results[0].corpus.test.count) held-out articles scored against their headlines: \
                                ROUGE F1 ×100 (rouge-score conventions, no stemming), mean ± std over \(seeds) seed(s). Reconstruction \
                                accuracy: the reconstructor's teacher-forced token accuracy on the held-out articles from the \
                                generator's greedy summary, from another held-out article's summary, and for a reconstructor trained on \
                                one constant summary (no information about the article).
                                """))
        let first = results[0]
        context.figure(.table(header: ["article (first words)", "headline"] + methods.map { $0.name(sizes) },
                              rows: (0..<min(12, first.corpus.test.count)).map { i in
                                  [Array(first.corpus.test[i].words.prefix(24)), first.corpus.test[i].title] + methods.map { first.summaries[$0]![i] }
                              }.map { $0.map { $0.joined(separator: " ") } },
                              caption: "Sample summaries of held-out articles (first seed), side by side."))
        notes(perSeed)
    }

    /// The notes: data, models, the comparison, what the summaries carry and how far training got.
    func notes(_ perSeed: [String: [Scores]]) {
        let corpus = results[0].corpus
        let seeds = results.count
        func values(_ method: String, _ pick: (Scores) -> Double) -> [Double] { (perSeed[method] ?? []).map(pick) }
        func pm(_ v: [Double], _ d: Int) -> String {
            let f = { (x: Double) in String(format: "%.\(d)f", x) }
            return v.count > 1 ? "\(f(ClassifierKit.mean(v))) ± \(f(ClassifierKit.std(v)))" : f(v.first ?? 0)
        }
        let k = sizes.summaryLength, lead = Method.lead.name(sizes)
        let (unsupervised, plainAE, supervised) = (Method.unsupervised.rawValue, Method.noDiscriminator.rawValue, Method.supervised.rawValue)
        context.note("""
            Data: \(corpus.articles) BBC News articles, lower-cased and tokenized like rouge-score; \(corpus.test.count) held out \
            (their headlines are used only for scoring), the rest split into \(corpus.train.count) training articles cut to their \
            first \(sizes.documentWords) words and \(corpus.headlines.count) other articles whose headlines alone are the \
            discriminator's unpaired human-written texts; vocabulary of the \(corpus.vocabulary.count) most frequent words seen at \
            least twice (first seed; each seed draws its own split).
            """)
        let pointer = sizes.copy
            ? " and a pointer-generator output (See et al. 2017; the generator copies article words, the reconstructor summary words)" : ""
        let ablation = sizes.ablation ? "; 'no discriminator' is the same schedule with λ = 0 throughout" : ""
        context.note("""
            Models: the generator and the reconstructor are LSTM seq2seq models with Luong attention\(pointer) (embedding \
            \(sizes.embedding), hidden \(sizes.hidden)); summaries have exactly \(k) tokens, the words before the first end token \
            being the summary, and pass to the reconstructor as straight-through Gumbel-softmax samples (τ = \(sizes.temperature)); \
            the loss is L_rec + λ L_adv with λ = \(sizes.adversarialWeight), the discriminator a CNN over word windows 1–\(min(4, k)) \
            (\(sizes.maps) maps each) trained with the standard GAN loss, one step per generator step. Training: \
            \(sizes.leadSteps) steps pre-train the generator alone to write each article's first \(k) known words (from the articles \
            only, no headline), \(sizes.warmUpSteps) auto-encoder steps (λ = 0) follow, then \(sizes.adversarialSteps) steps with \
            the discriminator; Adam at learning rate \(sizes.learningRate), discriminator \(sizes.discriminatorRate), batches of \
            \(sizes.batch)\(ablation). The supervised upper bound is the same pointer-generator seq2seq (dropout \
            \(sizes.supervisedDropout)) trained \(sizes.supervisedSteps) steps on the training articles' headlines over its own \
            vocabulary (training articles and their headlines), decoded greedily up to \(k) words without the unknown token. Every \
            model's greedy summary skips words it has already written. \(lead) is each article's first \(k) words. \(seeds) \
            seed(s)\(seeds > 1 ? ", ± is the sample standard deviation over seeds" : "").
            """)
        func mean(_ m: String, _ pick: (Scores) -> Double) -> Double { ClassifierKit.mean(values(m, pick)) }
        func r1(_ m: String) -> Double { mean(m) { $0.rouge1 } }
        func rl(_ m: String) -> Double { mean(m) { $0.rougeL } }
        let unsup = r1(unsupervised), leadR1 = r1(lead), sup = r1(supervised)
        var comparison = "ROUGE-1 F1: unsupervised \(pm(values(unsupervised) { $0.rouge1 }, 1)), \(lead) \(pm(values(lead) { $0.rouge1 }, 1)), "
            + "supervised \(pm(values(supervised) { $0.rouge1 }, 1)). "
        if unsup > leadR1 && rl(unsupervised) > rl(lead) {
            comparison += "The unpaired summarizer beat the \(lead) baseline on ROUGE-1 and ROUGE-L without seeing any article-headline pair"
        } else {
            comparison += "The unpaired summarizer did not beat the \(lead) baseline (ROUGE-1 \(f1(unsup)) against \(f1(leadR1)), "
                + "ROUGE-L \(f1(rl(unsupervised))) against \(f1(rl(lead))))"
        }
        comparison += sup > unsup
            ? ", and stayed below the supervised model, which saw \(corpus.train.count) pairs (\(f1(sup - unsup)) ROUGE-1 points more)."
            : "; the supervised model, trained on \(corpus.train.count) pairs, did not do better (\(f1(sup))), so at this size the pairs "
                + "bought nothing."
        if SummarizeLab.methods(sizes).contains(.noDiscriminator) {
            let plain = r1(plainAE)
            comparison += """
                 Without the discriminator the auto-encoder scored ROUGE-1 \(pm(values(plainAE) { $0.rouge1 }, 1)) \
                (\(plain < unsup ? "below" : "not below") the discriminator's version), with \(f1(mean(plainAE) { $0.copied }))% of \
                its summary words taken from the article against \(f1(mean(unsupervised) { $0.copied }))% with it.
                """
        }
        context.note(comparison)
        let recon = ClassifierKit.mean(results.map { 100 * ($0.reconstruction[.unsupervised] ?? 0) })
        let other = ClassifierKit.mean(results.map { 100 * ($0.reconstructionOther[.unsupervised] ?? 0) })
        let lm = ClassifierKit.mean(results.map { 100 * $0.reconstructionWithoutSummary })
        let gain = recon - max(lm, other)
        context.note("Information through the bottleneck: with its own summary the reconstructor got \(f1(recon))% of the held-out article "
                     + "tokens right, with another article's summary \(f1(other))%, and a reconstructor trained on a constant summary (a language "
                     + "model of the articles) \(f1(lm))%; "
                     + (gain > 2 ? "the summaries carry \(f1(gain)) points of accuracy about their own article that neither baseline has."
                           : "the summaries add \(f1(gain)) points over the better of the two, so they carry little about their own article."))
        let dReal = ClassifierKit.mean(results.map(\.discriminatorScores.real))
        let dFake = ClassifierKit.mean(results.map(\.discriminatorScores.summaries))
        let withoutD = sizes.ablation
            ? String(format: " (%.1f%% without the discriminator)",
                     ClassifierKit.mean(results.map { 100 * ($0.reconstruction[.noDiscriminator] ?? 0) }))
            : ""
        let apart = dReal - dFake > 0.3 ? ": it still told them apart easily, so the summaries are not yet headline-like"
            : dReal - dFake < 0.1 ? ": it barely told them apart" : ""
        context.note("""
            From its own greedy summaries of held-out articles the reconstructor predicted \(f1(recon))% of the article tokens right \
            by teacher forcing\(withoutD). The discriminator gave held-out headlines a mean probability of 'human' of \
            \(String(format: "%.2f", dReal)) and the unsupervised summaries \(String(format: "%.2f", dFake))\(apart). Mean lengths: \
            unsupervised \(pm(values(unsupervised) { $0.length }, 1)) words, headlines \(pm(values("headline") { $0.length }, 1)).
            """)
        var health: [String] = []
        for method in SummarizeLab.methods(sizes) where method != .lead {
            let name = method.name(sizes)
            let distinct = mean(name) { $0.distinct }
            if distinct < 20, let top = perSeed[name]?.first?.mostCommon {
                health.append("""
                    \(name) wrote only \(f1(distinct))% distinct summaries (collapse onto a few outputs; first seed's most common: \
                    '\(top.summary.joined(separator: " "))' for \(top.count) of \(corpus.test.count) articles)
                    """)
            }
        }
        let unknown = f1(ClassifierKit.mean(results.map { 100 * $0.unknownHeadlineShare }))
        context.note("""
            The supervised model's vocabulary leaves \(unknown)% of the held-out headline words unknown (names, rare words), so no \
            model of this vocabulary can get those right; lead-\(k) copies them from the article.
            """)
        let supervisedLength = mean(supervised) { $0.length }
        if supervisedLength < 2 {
            health.append("""
                the supervised model's greedy headlines averaged \(f1(supervisedLength)) words (it mostly ended at once), so after \
                \(sizes.supervisedSteps) steps it is not yet the upper bound that longer training would make it
                """)
        }
        if !health.isEmpty { context.note("Training had not converged at this size: " + health.joined(separator: "; ") + ".") }
        context.note("""
            Wang and Lee (2018) train on English Gigaword (millions of articles with first-sentence inputs and unpaired headlines) for \
            far longer and report ROUGE there; with about a thousand short BBC articles and minutes of CPU training, these numbers \
            show directions only and are not comparable with the paper's.
            """)
    }

    private func f1(_ v: Double) -> String { String(format: "%.1f", v) }
}
