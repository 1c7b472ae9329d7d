import Foundation

/// Turns the style-transfer lab's seeds into metrics, curves, tables and notes.
struct StyleTransferReport {
    let task: StyleTransferLab.Task
    let sizes: StyleTransferLab.Sizes
    let results: [StyleTransferSeedResult]
    let context: LabContext

    /// A measure of the table: its name, unit, decimals, whether higher is better, and its value.
    struct Measure: Sendable {
        let name: String, unit: String, digits: Int, higherIsBetter: Bool
        let pick: @Sendable (StyleTransferScores) -> Double
    }

    static let measures = [
        Measure(name: "BLEU", unit: "", digits: 1, higherIsBetter: true) { $0.bleu ?? .nan },
        Measure(name: "self-BLEU", unit: "", digits: 1, higherIsBetter: true) { $0.selfBLEU },
        Measure(name: "style accuracy", unit: "%", digits: 1, higherIsBetter: true) { $0.styleAccuracy },
        Measure(name: "perplexity", unit: "", digits: 1, higherIsBetter: false) { $0.perplexity },
    ]
    /// The measures of this task: no BLEU to a reference on the unpaired sentiment task.
    var measures: [Measure] { task == .bible ? Self.measures : Self.measures.filter { $0.name != "BLEU" } }
    var directions: [(Int, Int, String)] { StyleTransferLab.directions(task) }
    /// The systems compared.
    typealias Method = StyleTransferLab.Method
    /// This task's systems, in report order.
    var methods: [Method] { StyleTransferLab.methods(task) }

    /// What a table cell shows instead of a number where `method` has no value of `measure`, or nil.
    func undefined(_ method: Method, _ measure: Measure) -> String? {
        if method == .reference && measure.name == "BLEU" { return "100 (by definition)" }
        if method == .real && measure.name == "self-BLEU" { return "— (not paired)" }
        return nil
    }

    /// Shown beside the measures, not compared.
    static let length = Measure(name: "mean length", unit: "words", digits: 1, higherIsBetter: true) { $0.meanLength }

    /// The values over seeds of `method` on `measure` in `direction`.
    func values(_ direction: String, _ method: Method, _ measure: Measure) -> [Double] {
        results.map { measure.pick($0.scores[direction]![method]!) }
    }

    /// The mean ± the sample standard deviation of `v` (the value alone for one seed), with `digits` decimals.
    func pm(_ v: [Double], _ digits: Int) -> String {
        let f = { (x: Double) in String(format: "%.\(digits)f", x) }
        return v.count > 1 ? "\(f(ClassifierKit.mean(v))) ± \(f(ClassifierKit.std(v)))" : f(v[0])
    }

    /// Records metrics, curves, tables and notes.
    func record() throws {
        let seeds = results.count
        let unit = task == .bible ? "held-out verses" : "held-out snippets"
        for (_, _, direction) in directions {
            for method in methods {
                for m in measures + [Self.length] where undefined(method, m) == nil {
                    let v = values(direction, method, m)
                    context.metric("\(direction) \(method.rawValue) \(m.name)", ClassifierKit.mean(v), unit: m.unit)
                    if seeds > 1 { context.metric("\(direction) \(method.rawValue) \(m.name) std", ClassifierKit.std(v), unit: m.unit) }
                }
            }
            let columns = (task == .bible ? ["BLEU to the other version"] : [])
                + ["BLEU to the input (self-BLEU)", "target style %", "perplexity (target-style LM)", "mean length (words)"]
            let scoring = task == .bible
                ? "BLEU-4 ×100 (smoothed), style share by a separately trained CNN classifier, perplexity by a separately trained LSTM "
                    + "language model of the target style."
                : """
                    No reference exists (the snippets are unpaired): BLEU-4 ×100 (smoothed) to the input measures content kept, the \
                    target-sentiment share comes from a separately trained CNN classifier and perplexity from a separately trained LSTM \
                    language model of the target sentiment; "real" is as many held-out snippets of the target sentiment, for scale.
                    """
            context.figure(.table(header: ["system"] + columns,
                                  rows: methods.map { method in
                                      [label(method)]
                                          + (measures + [Self.length]).map { m in undefined(method, m) ?? pm(values(direction, method, m), m.digits) }
                                  },
                                  caption: "\(direction): \(results[0].corpus.heldOut[0].count) \(unit) (mean ± std over \(seeds) seed(s)). "
                                    + scoring))
        }
        let losses = context.curve("direct transfer losses", x: "step", y: "loss")
        let content = context.curve("direct transfer: content and style", x: "step", y: "BLEU ×100 / %")
        let cross = context.curve("cross-aligned autoencoder", x: "step", y: "loss / share")
        let curves = [(losses, ["direct warm-up identity", "direct identity", "direct copy", "direct cycle", "direct style", "direct fluency"]),
                      (content, ["BLEU to the input", "BLEU to the reference", "target style %"]),
                      (cross, ["cross-aligned reconstruction", "cross-aligned discriminator", "cross-aligned aligned share"])]
        for (curve, names) in curves {
            for series in names {
                guard let first = results[0].curves[series] else { continue }
                for (i, point) in first.enumerated() {
                    context.log(curve, series: series, x: Double(point.0), y: ClassifierKit.mean(results.map { $0.curves[series]?[i].1 ?? 0 }))
                }
            }
        }
        let firstDirection = directions[0].2
        context.figure(.curve(losses, caption: """
            Direct transfer: the identity loss of the \(sizes.warmupSteps) warm-up steps (which also train T(x, s') to copy x with \
            weight \(sizes.copyWeight)), then mean losses over each stretch of \(sizes.logEvery) steps of the full objective \
            (identity, copy and cycle: token cross-entropy; style: the training classifier's cross-entropy of the target style; \
            fluency: the target-style language model's expected NLL of the soft transfers).
            """))
        context.figure(.curve(content, caption: """
            Direct transfer, \(firstDirection): greedy transfers of the first \(sizes.monitorCount) held-out inputs during training \
            (the warm-up ends at step \(sizes.warmupSteps)), scored by BLEU to the input\(task == .bible ? ", BLEU to the other version" : "") \
            and the evaluation classifier's target-style share; a curve only, no model is selected with it (mean over seeds).
            """))
        context.figure(.curve(cross, caption: "Cross-aligned autoencoder: reconstruction cross-entropy, the discriminators' mean loss "
                                  + "(ln 4 ≈ 1.39 at chance) and the share of steps that used the alignment term."))
        let first = results[0]
        for (_, _, direction) in directions {
            let out = first.outputs[direction]!
            let shown: [Method] = task == .bible ? [.copy, .reference, .retrieve, .direct, .crossAligned] : [.copy, .retrieve, .direct, .crossAligned]
            // The copy column is the input.
            let header = shown.map { $0 == .copy ? "input" : $0.rawValue }
            context.figure(.table(header: header,
                                  rows: (0..<min(10, first.corpus.heldOut[0].count)).map { i in shown.map { out[$0]![i].joined(separator: " ") } },
                                  caption: task == .bible
                                    ? "\(direction), first seed: held-out verses, the other version (never seen paired in training) and each "
                                        + "system's output."
                                    : "\(direction), first seed: held-out snippets and each system's output, side by side."))
        }
        notes()
    }

    /// The name of `method`'s row in the tables.
    func label(_ method: Method) -> String {
        switch method {
        case .reference: "reference (the other version)"
        case .real: "real target-sentiment snippets"
        default: method.rawValue
        }
    }

    /// Where `method` is better or not than `baseline` on each measure of `direction`, in words.
    func comparison(_ direction: String, _ method: Method, against baseline: Method, measures: [Measure]) -> (better: [String], notBetter: [String]) {
        var better: [String] = [], notBetter: [String] = []
        for m in measures {
            let a = ClassifierKit.mean(values(direction, method, m)), b = ClassifierKit.mean(values(direction, baseline, m))
            let text = "\(m.name) \(pm(values(direction, method, m), m.digits)) against \(pm(values(direction, baseline, m), m.digits))"
            if m.higherIsBetter ? a > b : a < b { better.append(text) } else { notBetter.append(text) }
        }
        return (better, notBetter)
    }

    /// The notes: data, systems, and how the two models compare with copying and retrieval.
    func notes() {
        let corpus = results[0].corpus
        let seeds = results.count
        if task == .bible {
            context.note("""
                Data: the bundled King James / World English Bible verses (\(corpus.verses)), lower-cased words; \(corpus.usable) \
                verses have at most \(sizes.maxLength) words in both versions. Per seed, \(corpus.test.count) of them are held out \
                with their alignment for evaluation only; the rest are shuffled and split into two disjoint halves, the archaic side \
                read from the first (\(corpus.tokens[0].count) verses) and the modern side from the second \
                (\(corpus.tokens[1].count)), so no training verse is seen in both styles. The vocabulary holds the \
                \(corpus.vocabulary.count) most frequent training words (at least twice seen, specials included); other words become \
                <unk> for the models, while copy and retrieve work on the raw words.
                """)
        } else {
            context.note("""
                Data: Rotten Tomatoes critic snippets (\(corpus.verses): rotten = negative, fresh = positive), lower-cased words; \
                \(corpus.usable) distinct snippets have at most \(sizes.maxLength) words. Per seed and sentiment, \
                \(corpus.heldOut[0].count) are held out for evaluation and up to \(sizes.perSide) train (\(corpus.tokens[0].count) \
                negative, \(corpus.tokens[1].count) positive). The snippets are unpaired, so there is no reference transfer. The \
                vocabulary holds the \(corpus.vocabulary.count) most frequent training words (at least twice seen, specials \
                included); other words become <unk> for the models, while copy and retrieve work on the raw words.
                """)
        }
        let spreads = seeds > 1 ? ", spreads are sample standard deviations over seeds (each seed draws its own split)" : ""
        context.note("""
            Systems: copy returns the input; retrieve returns the training sentence of the other style nearest by TF-IDF cosine (Li \
            et al. 2018's RetrieveOnly). Direct: a style-token-conditioned LSTM seq2seq with Luong attention (embeddings \
            \(sizes.embedding), hidden \(sizes.hidden)) first trained \(sizes.warmupSteps) Adam steps to copy (identity loss -log \
            p(x | x, s) plus \(sizes.copyWeight) × -log p(x | x, s'), so it starts from copying whichever style is asked for, as \
            Lample et al. 2019 start from auto-encoding), then \(sizes.directSteps) steps (learning rate \(sizes.rate), \
            \(sizes.batch) sentences per style per step) on identity + copy (its weight falling linearly from \(sizes.copyWeight) \
            to 0) + \(sizes.cycleWeight) × cycle + \(sizes.styleWeight) × style + \(sizes.fluencyWeight) × fluency losses through \
            straight-through transfers (one-hot argmax forward, the gradient of softmax(logits/τ) backward, τ = \
            \(sizes.temperature), no Gumbel noise); its style classifier (Kim-style CNN, \(sizes.classifierSteps) steps) and \
            per-style LSTM language models (\(sizes.lmSteps) steps) were trained on the unpaired sides and held fixed. \
            Cross-aligned: Shen et al.'s (2017) autoencoder (GRU, style vector \(sizes.hidden / 4), content \(sizes.hidden)) with \
            one CNN discriminator per style over teacher-forced against professor-forced (γ = \(sizes.gamma)) hidden states, λ = \
            \(sizes.adversarialWeight), \(sizes.crossSteps) steps. Both models' <unk> outputs are replaced by the input's \
            out-of-vocabulary words in order (Luong et al. 2015's unknown-word copy). The scoring classifier and language models \
            are other instances trained the same way from other seeds, so no system is scored by the model it was trained against. \
            Outputs are greedy; \(seeds) seed(s)\(spreads).
            """)
        let all = measures, withoutContent = measures.filter { $0.name != "self-BLEU" }
        let scale = methods[4]
        let models: [Method] = [.direct, .crossAligned]
        for (_, _, direction) in directions {
            var sentences: [String] = []
            for method in models {
                let copy = comparison(direction, method, against: .copy, measures: withoutContent)
                let retrieve = comparison(direction, method, against: .retrieve, measures: all)
                var s = "\(direction), \(method.rawValue): against copying the input it is better on "
                    + (copy.better.isEmpty ? "no measure" : copy.better.joined(separator: ", "))
                s += copy.notBetter.isEmpty ? "" : " and not better on \(copy.notBetter.joined(separator: ", "))"
                s += "; against retrieval it is better on \(retrieve.better.isEmpty ? "no measure" : retrieve.better.joined(separator: ", "))"
                s += retrieve.notBetter.isEmpty ? "." : " and not better on \(retrieve.notBetter.joined(separator: ", "))."
                sentences.append(s)
            }
            let perplexity = Self.measures[3], style = Self.measures[2]
            for method in models {
                let ppl = ClassifierKit.mean(values(direction, method, perplexity))
                let scalePPL = ClassifierKit.mean(values(direction, scale, perplexity))
                let length = ClassifierKit.mean(values(direction, method, Self.length))
                let scaleLength = ClassifierKit.mean(values(direction, scale, Self.length))
                if ppl < scalePPL && length < 0.8 * scaleLength {
                    sentences.append(String(format: """
                        %@'s perplexity (%.1f) is below that of the real %@ (%.1f) while its outputs are shorter (%.1f words against \
                        %.1f): short, common-word outputs are what a language model finds likely, so its low perplexity is not \
                        fluency here.
                        """, method.rawValue, ppl, task == .bible ? "verses" : "target-sentiment snippets", scalePPL, length, scaleLength))
                }
            }
            let scaleStyle = ClassifierKit.mean(values(direction, scale, style)), copyStyle = ClassifierKit.mean(values(direction, .copy, style))
            if task == .bible {
                sentences.append(String(format: """
                    For scale, the scoring classifier puts %.1f%% of the real other-version verses and %.1f%% of the copied inputs in \
                    the target style, and copying scores a BLEU of %@ to the other version: the two translations share most of their \
                    words, so copying is a strong BLEU baseline that a transfer must beat by changing the right words only.
                    """, scaleStyle, copyStyle, pm(values(direction, .copy, all[0]), 1)))
            } else {
                sentences.append(String(format: """
                    For scale, the scoring classifier puts %.1f%% of real held-out snippets of the target sentiment and %.1f%% of the \
                    copied inputs in the target sentiment; a transfer has to raise the second number while keeping the BLEU to its \
                    input well above retrieval's %@.
                    """, scaleStyle, copyStyle, pm(values(direction, .retrieve, Self.measures[1]), 1)))
            }
            context.note(sentences.joined(separator: " "))
        }
        if task == .bible {
            context.note("""
                Shen et al. (2017) and Yang et al. (2018) evaluate on Yelp sentiment, where a transfer must change the meaning-bearing \
                words; between the KJV and the WEB most words stay the same and the differences are archaic forms (thee, thou, hath, \
                -eth), so BLEU to the other version rewards conservative edits. No published numbers on this pairing are comparable.
                """)
        } else {
            context.note("""
                Shen et al. (2017, table 2) report 78.4% sentiment accuracy for the cross-aligned autoencoder on Yelp reviews (about \
                250k negative and 350k positive sentences of at most 15 words); here each sentiment has a few thousand Rotten \
                Tomatoes snippets, the models are far smaller and trained far shorter, and the classifier differs, so that number is \
                context, not a like-for-like comparison.
                """)
        }
    }
}
