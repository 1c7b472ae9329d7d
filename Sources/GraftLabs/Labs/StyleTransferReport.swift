import Foundation

/// Turns the style-transfer lab's seeds into metrics, curves, tables and notes.
struct StyleTransferReport {
    let sizes: StyleTransferLab.Sizes
    let results: [StyleTransferSeedResult]
    let context: LabContext

    /// A measure of the table: its name, unit, decimals, whether higher is better, and its value.
    struct Measure: Sendable {
        let name: String, unit: String, digits: Int, higherIsBetter: Bool
        let pick: @Sendable (StyleTransferScores) -> Double
    }

    static let measures = [
        Measure(name: "BLEU", unit: "", digits: 1, higherIsBetter: true) { $0.bleu },
        Measure(name: "self-BLEU", unit: "", digits: 1, higherIsBetter: true) { $0.selfBLEU },
        Measure(name: "style accuracy", unit: "%", digits: 1, higherIsBetter: true) { $0.styleAccuracy },
        Measure(name: "perplexity", unit: "", digits: 1, higherIsBetter: false) { $0.perplexity },
    ]
    /// Shown beside the measures, not compared.
    static let length = Measure(name: "mean length", unit: "words", digits: 1, higherIsBetter: true) { $0.meanLength }

    /// The values over seeds of `method` on `measure` in `direction`.
    func values(_ direction: String, _ method: String, _ measure: Measure) -> [Double] {
        results.map { measure.pick($0.scores[direction]![method]!) }
    }

    func pm(_ v: [Double], _ digits: Int) -> String {
        let f = { (x: Double) in String(format: "%.\(digits)f", x) }
        return v.count > 1 ? "\(f(TransferLabKit.mean(v))) ± \(f(TransferLabKit.std(v)))" : f(v[0])
    }

    func record() throws {
        let seeds = results.count
        for (_, _, direction) in StyleTransferLab.directions {
            for method in StyleTransferLab.methods {
                for m in Self.measures + [Self.length] where !(method == "reference" && m.name == "BLEU") {
                    let v = values(direction, method, m)
                    context.metric("\(direction) \(method) \(m.name)", TransferLabKit.mean(v), unit: m.unit)
                    if seeds > 1 { context.metric("\(direction) \(method) \(m.name) std", TransferLabKit.std(v), unit: m.unit) }
                }
            }
            context.figure(.table(header: ["system", "BLEU to the other version", "BLEU to the input (self-BLEU)", "target style %", "perplexity (target-style LM)", "mean length (words)"],
                                  rows: StyleTransferLab.methods.map { method in
                                      [method == "reference" ? "reference (the other version)" : method] + (Self.measures + [Self.length]).map { m in
                                          method == "reference" && m.name == "BLEU" ? "100 (by definition)" : pm(values(direction, method, m), m.digits)
                                      }
                                  },
                                  caption: "\(direction): \(results[0].corpus.test.count) held-out verses (mean ± std over \(seeds) seed(s)). BLEU-4 ×100 (smoothed), style share by a separately trained CNN classifier, perplexity by a separately trained LSTM language model of the target style."))
        }
        for (curve, names, yLabel) in [("direct transfer losses", ["direct warm-up identity", "direct identity", "direct cycle", "direct style", "direct fluency"], "loss"),
                                       ("cross-aligned autoencoder", ["cross-aligned reconstruction", "cross-aligned discriminator", "cross-aligned aligned share"], "loss / share")] {
            for series in names {
                guard let first = results[0].curves[series] else { continue }
                for (i, point) in first.enumerated() {
                    context.log(curve, series: series, x: Double(point.0), y: TransferLabKit.mean(results.map { $0.curves[series]?[i].1 ?? 0 }), yLabel: yLabel)
                }
            }
        }
        context.figure(.curve("direct transfer losses", caption: "Direct transfer: the identity loss of the \(sizes.warmupSteps) warm-up steps, then mean losses over each stretch of \(sizes.logEvery) steps of the full objective (identity and cycle: token cross-entropy; style: the training classifier's cross-entropy of the target style; fluency: the target-style language model's expected NLL of the soft transfers)."))
        context.figure(.curve("cross-aligned autoencoder", caption: "Cross-aligned autoencoder: reconstruction cross-entropy, the discriminators' mean loss (ln 4 ≈ 1.39 at chance) and the share of steps that used the alignment term."))
        let first = results[0]
        for (_, _, direction) in StyleTransferLab.directions {
            let out = first.outputs[direction]!
            context.figure(.table(header: ["input", "reference", "retrieve", "direct", "cross-aligned"],
                                  rows: (0..<min(10, first.corpus.test.count)).map { i in
                                      [out["copy"]![i], out["reference"]![i], out["retrieve"]![i], out["direct"]![i], out["cross-aligned"]![i]].map { $0.joined(separator: " ") }
                                  },
                                  caption: "\(direction), first seed: held-out verses, the other version (never seen paired in training) and each system's output."))
        }
        notes()
    }

    /// Where `method` is better or not than `baseline` on each measure of `direction`, in words.
    func comparison(_ direction: String, _ method: String, against baseline: String, measures: [Measure]) -> (better: [String], notBetter: [String]) {
        var better: [String] = [], notBetter: [String] = []
        for m in measures {
            let a = TransferLabKit.mean(values(direction, method, m)), b = TransferLabKit.mean(values(direction, baseline, m))
            let text = "\(m.name) \(pm(values(direction, method, m), m.digits)) against \(pm(values(direction, baseline, m), m.digits))"
            if m.higherIsBetter ? a > b : a < b { better.append(text) } else { notBetter.append(text) }
        }
        return (better, notBetter)
    }

    func notes() {
        let corpus = results[0].corpus
        let seeds = results.count
        context.note("Data: the bundled King James / World English Bible verses (\(corpus.verses)), lower-cased words; \(corpus.usable) verses have at most \(sizes.maxLength) words in both versions. Per seed, \(corpus.test.count) of them are held out with their alignment for evaluation only; the rest are shuffled and split into two disjoint halves, the archaic side read from the first (\(corpus.tokens[0].count) verses) and the modern side from the second (\(corpus.tokens[1].count)), so no training verse is seen in both styles. The vocabulary holds the \(corpus.vocabulary.count) most frequent training words (at least twice seen, specials included); other words become <unk> for the models, while copy and retrieve work on the raw words.")
        context.note("Systems: copy returns the input; retrieve returns the training verse of the other style nearest by TF-IDF cosine (Li et al. 2018's RetrieveOnly). Direct: a style-token-conditioned LSTM seq2seq with Luong attention (embeddings \(sizes.embedding), hidden \(sizes.hidden)) trained \(sizes.warmupSteps) Adam steps on the identity loss alone, then \(sizes.directSteps) steps (learning rate \(sizes.rate), \(sizes.batch) verses per style per step) on identity + \(sizes.cycleWeight) × cycle + \(sizes.styleWeight) × style + \(sizes.fluencyWeight) × fluency losses through straight-through transfers (one-hot argmax forward, the gradient of softmax(logits/τ) backward, τ = \(sizes.temperature), no Gumbel noise); its style classifier (Kim-style CNN, \(sizes.classifierSteps) steps) and per-style LSTM language models (\(sizes.lmSteps) steps) were trained on the unpaired sides and held fixed. Cross-aligned: Shen et al.'s (2017) autoencoder (GRU, style vector \(sizes.hidden / 4), content \(sizes.hidden)) with one CNN discriminator per style over teacher-forced against professor-forced (γ = \(sizes.gamma)) hidden states, λ = \(sizes.adversarialWeight), \(sizes.crossSteps) steps. The scoring classifier and language models are other instances trained the same way from other seeds, so no system is scored by the model it was trained against. Outputs are greedy; \(seeds) seed(s)\(seeds > 1 ? ", spreads are sample standard deviations over seeds (each seed draws its own split)" : "").")
        let all = Self.measures, withoutContent = Self.measures.filter { $0.name != "self-BLEU" }
        for (_, _, direction) in StyleTransferLab.directions {
            var sentences: [String] = []
            for method in ["direct", "cross-aligned"] {
                let copy = comparison(direction, method, against: "copy", measures: withoutContent)
                let retrieve = comparison(direction, method, against: "retrieve", measures: all)
                var s = "\(direction), \(method): against copying the input it is better on \(copy.better.isEmpty ? "no measure" : copy.better.joined(separator: ", "))"
                s += copy.notBetter.isEmpty ? "" : " and not better on \(copy.notBetter.joined(separator: ", "))"
                s += "; against retrieval it is better on \(retrieve.better.isEmpty ? "no measure" : retrieve.better.joined(separator: ", "))"
                s += retrieve.notBetter.isEmpty ? "." : " and not better on \(retrieve.notBetter.joined(separator: ", "))."
                sentences.append(s)
            }
            for method in ["direct", "cross-aligned"] {
                let ppl = TransferLabKit.mean(values(direction, method, all[3])), referencePPL = TransferLabKit.mean(values(direction, "reference", all[3]))
                let length = TransferLabKit.mean(values(direction, method, Self.length)), referenceLength = TransferLabKit.mean(values(direction, "reference", Self.length))
                if ppl < referencePPL && length < 0.8 * referenceLength {
                    sentences.append(String(format: "%@'s perplexity (%.1f) is below that of the real verses (%.1f) while its outputs are shorter (%.1f words against %.1f): short, common-word outputs are what a language model finds likely, so its low perplexity is not fluency here.", method, ppl, referencePPL, length, referenceLength))
                }
            }
            let reference = StyleTransferReport.measures[2]
            let referenceStyle = TransferLabKit.mean(values(direction, "reference", reference)), copyStyle = TransferLabKit.mean(values(direction, "copy", reference))
            sentences.append(String(format: "For scale, the scoring classifier puts %.1f%% of the real other-version verses and %.1f%% of the copied inputs in the target style, and copying scores a BLEU of %@ to the other version: the two translations share most of their words, so copying is a strong BLEU baseline that a transfer must beat by changing the right words only.",
                                    referenceStyle, copyStyle, pm(values(direction, "copy", all[0]), 1)))
            context.note(sentences.joined(separator: " "))
        }
        context.note("Shen et al. (2017) and Yang et al. (2018) evaluate on Yelp sentiment, where a transfer must change the meaning-bearing words; between the KJV and the WEB most words stay the same and the differences are archaic forms (thee, thou, hath, -eth), so BLEU to the other version rewards conservative edits. No published numbers on this pairing are comparable.")
    }
}
