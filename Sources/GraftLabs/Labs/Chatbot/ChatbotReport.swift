import Foundation
import GraftMetrics

/// Turns the chatbot lab's seeds into metrics, curves, tables and notes.
struct ChatbotReport {
    let source: ChatbotLab.Corpus
    let sizes: ChatbotLab.Sizes
    let results: [ChatbotSeedResult]
    let context: LabContext

    /// The numbers of one method on one seed's held-out utterances.
    struct Scores {
        let diversity: ResponseDiversity
        /// Corpus BLEU-2 ×100 against every human answer of each utterance.
        let bleu2: Double
    }

    /// The scores of greedy answers (or, for "human", each utterance's first human answer).
    static func scores(_ answers: [[String]], corpus: ChatbotCorpus) throws -> Scores {
        let references = corpus.test.map(\.answers)
        let bleu = try BLEU.corpus(candidates: answers, references: references, maxOrder: 2, smoothing: .method1).score
        return Scores(diversity: try ResponseDiversity(answers), bleu2: 100 * bleu)
    }

    /// Records metrics, curves, tables and notes.
    func record() throws {
        let seeds = results.count
        let generators = ChatbotLab.Method.all
        let labels = generators.map(\.rawValue) + ["human"]
        // Each row's scores per seed, by its label: the generators' greedy answers, then the human answers.
        var perSeed: [String: [Scores]] = [:]
        for result in results {
            for method in generators {
                perSeed[method.rawValue, default: []].append(try Self.scores(result.answers[method]!, corpus: result.corpus))
            }
            perSeed["human", default: []].append(try Self.scores(result.corpus.test.map { $0.answers[0] }, corpus: result.corpus))
        }
        func values(_ method: String, _ pick: (Scores) -> Double) -> [Double] { perSeed[method]!.map(pick) }
        let measures: [(name: String, unit: String, pick: (Scores) -> Double)] = [
            ("mean length", "tokens", { $0.diversity.meanLength }),
            ("distinct-1", "", { $0.diversity.distinct1 }),
            ("distinct-2", "", { $0.diversity.distinct2 }),
            ("top answer share", "%", { 100 * $0.diversity.topResponseShare }),
            ("BLEU-2", "", { $0.bleu2 }),
        ]
        for method in labels {
            for m in measures where !(method == "human" && m.name == "BLEU-2") {
                let v = values(method, m.pick)
                // Greedy answers to the held-out utterances; "human" is each utterance's first human answer.
                context.metric("\(method) \(m.name)", ClassifierKit.mean(v), unit: m.unit)
                if seeds > 1 { context.metric("\(method) \(m.name) std", ClassifierKit.std(v), unit: m.unit) }
            }
        }
        let copied = results.map { 100 * $0.copiedShare }
        // The discriminator's pre-training fakes: answers sampled from the MLE model for training utterances.
        context.metric("MLE samples copying a human answer", ClassifierKit.mean(copied), unit: "%")
        let training = context.curve("training", x: "step", y: "token cross-entropy")
        let rewards = context.curve("rewards", x: "step", y: "mean reward")
        let discriminator = context.curve("discriminator", x: "step", y: "binary cross-entropy")
        for (curve, series) in [(training, "MLE loss"), (rewards, "RL reward"), (rewards, "GAN D(fake)"),
                                (discriminator, "D loss (pre-training)"), (discriminator, "GAN D loss")] {
            guard let first = results[0].curves[series] else { continue }
            for (i, point) in first.enumerated() {
                let y = ClassifierKit.mean(results.map { $0.curves[series]?[i].1 ?? 0 })
                context.log(curve, series: series, x: Double(point.0), y: y)
            }
        }
        context.figure(.curve(training, caption: "MLE: mean teacher-forced token cross-entropy over each stretch of \(sizes.logEvery) steps "
                                  + "(mean over \(seeds) seed(s))."))
        context.figure(.curve(rewards, caption: "Mean reward of the sampled answers: the hand-made reward for RL, the discriminator's "
                                  + "probability of 'human' for the GAN."))
        context.figure(.curve(discriminator, caption: "The GAN discriminator's loss on human against sampled (query, response) pairs, "
                                  + "during its pre-training on the MLE model's samples and during the GAN."))
        let f = { (v: Double, d: Int) in String(format: "%.\(d)f", v) }
        func pm(_ v: [Double], _ d: Int) -> String { seeds > 1 ? "\(f(ClassifierKit.mean(v), d)) ± \(f(ClassifierKit.std(v), d))" : f(v[0], d) }
        context.figure(.table(header: ["", "mean length", "distinct-1", "distinct-2", "top answer share %", "BLEU-2"],
                              rows: labels.map { method in
                                  [method == "human" ? "human (first answer)" : method] + measures.map { m in
                                      method == "human" && m.name == "BLEU-2"
                                          ? "—" : pm(values(method, m.pick), m.name.hasPrefix("distinct") ? 3 : 1)
                                  }
                              },
                              caption: "Greedy answers to the \(results[0].corpus.test.count) held-out utterances (mean ± std over \(seeds) "
                                + "seed(s)). BLEU-2 ×100 against all human answers of each utterance."))
        let first = results[0]
        let common = generators.map { method in
            perSeed[method.rawValue]![0].diversity.mostCommon.map { "\($0.response.joined(separator: " ")) (\($0.count))" }
        }
        context.figure(.table(header: ["rank"] + generators.map(\.rawValue),
                              rows: (0..<5).map { rank in ["\(rank + 1)"] + common.map { rank < $0.count ? $0[rank] : "" } },
                              caption: "The five most common greedy answers of each generator (first seed), with their counts out of "
                                + "\(first.corpus.test.count)."))
        context.figure(.table(header: ["utterance", "human"] + generators.map(\.rawValue),
                              rows: (0..<min(10, first.corpus.test.count)).map { i in
                                  [first.corpus.test[i].utterance, first.corpus.test[i].answers[0]] + generators.map { first.answers[$0]![i] }
                              }.map { $0.map { $0.joined(separator: " ") } },
                              caption: "Sample dialogues: held-out utterances of the first seed, a human answer and each generator's "
                                + "greedy answer."))
        notes(values: values, pm: pm)
    }

    /// The notes: data, models, and how RL and the GAN compare with MLE and with human answers.
    func notes(values: (String, (Scores) -> Double) -> [Double], pm: ([Double], Int) -> String) {
        let corpus = results[0].corpus
        let seeds = results.count
        let data = source == .chatterbot
            ? "the bundled ChatterBot corpus (\(corpus.pairs) pairs, \(corpus.distinctUtterances) distinct utterances)"
            : "consecutive turns of two speakers in the Friends transcripts (\(corpus.pairs) pairs, "
                + "\(corpus.distinctUtterances) distinct utterances)"
        let vocabulary = sizes.maxVocabulary.map { "the \($0) most frequent training words seen at least twice" }
            ?? "training words seen at least twice"
        let heldOut = String(format: "%.1f", 100 * Double(corpus.test.count) / Double(corpus.distinctUtterances))
        context.note("""
            Data: \(data), lower-cased words capped at \(sizes.maxLength) tokens; \(corpus.test.count) distinct utterances \
            (\(heldOut)%) are held out with all their answers, the vocabulary (\(corpus.vocabulary.count) tokens) holds \
            \(vocabulary), and \(corpus.train.count) training pairs remain (first seed).
            """)
        let teacherForcing = sizes.teacherForcing
            ? ", each followed by one teacher-forcing (MLE) step on human pairs as in Li et al. (2017)" : ""
        let spreads = seeds > 1 ? ", spreads are sample standard deviations over seeds (each seed draws its own split)" : ""
        context.note("""
            Models: an LSTM encoder-decoder with Luong general attention (embeddings \(sizes.embedding), hidden \(sizes.hidden), \
            dropout \(sizes.dropout)). MLE: \(sizes.mleSteps) Adam steps (learning rate \(sizes.mleRate), batches of \(sizes.batch)). \
            RL: \(sizes.rlSteps) REINFORCE steps from the MLE model on sampled answers (temperature 1), reward r = min(n, 10)/10 + \
            mean unigram surprisal/s_max − (1 − distinct tokens/n) − 1[answer is one of the \(sizes.dullCount) answers the model \
            currently gives most often to 300 training utterances, refreshed every \(sizes.dullEvery) steps], a moving-average \
            baseline (momentum 0.9), learning rate \(sizes.policyRate). GAN: a CNN discriminator (widths 1–5, \(sizes.maps) maps \
            each, highway, dropout 0.25, Adam learning rate \(sizes.discriminatorRate)) over 'query <sep> response', pre-trained \
            \(sizes.discriminatorPretrainSteps) steps on human against the MLE model's sampled answers, then \(sizes.ganSteps) rounds \
            of one discriminator step and one REINFORCE step with D's probability as the reward and a moving-average \
            baseline\(teacherForcing). Gradients clipped at norm 5. Answers are greedy; \(seeds) seed(s)\(spreads).
            """)
        let mle = ChatbotLab.Method.mle.rawValue
        func length(_ m: String) -> Double { ClassifierKit.mean(values(m) { $0.diversity.meanLength }) }
        func d2(_ m: String) -> Double { ClassifierKit.mean(values(m) { $0.diversity.distinct2 }) }
        func top(_ m: String) -> Double { ClassifierKit.mean(values(m) { 100 * $0.diversity.topResponseShare }) }
        func bleu(_ m: String) -> Double { ClassifierKit.mean(values(m) { $0.bleu2 }) }
        func compare(_ method: ChatbotLab.Method) -> String {
            let m = method.rawValue
            let longer = length(m) > length(mle), diverse = d2(m) > d2(mle), lessTop = top(m) < top(mle)
            let verdict: String
            switch (longer && diverse && lessTop, longer || diverse || lessTop) {
            case (true, _): verdict = "longer and less generic than MLE's on all three counts"
            case (false, true):
                verdict = "mixed against MLE's: \(longer ? "longer" : "not longer"), \(diverse ? "higher" : "not higher") distinct-2, "
                    + "\(lessTop ? "a smaller" : "no smaller") top-answer share"
            default: verdict = "not longer or less generic than MLE's"
            }
            return """
                \(m) answers were \(verdict) (mean length \(pm(values(m) { $0.diversity.meanLength }, 1)) against \
                \(pm(values(mle) { $0.diversity.meanLength }, 1)), distinct-2 \(pm(values(m) { $0.diversity.distinct2 }, 3)) against \
                \(pm(values(mle) { $0.diversity.distinct2 }, 3)), top-answer share \
                \(pm(values(m) { 100 * $0.diversity.topResponseShare }, 1))% against \
                \(pm(values(mle) { 100 * $0.diversity.topResponseShare }, 1))%), with BLEU-2 \(pm(values(m) { $0.bleu2 }, 1)) against \
                MLE's \(pm(values(mle) { $0.bleu2 }, 1))\(bleu(m) < bleu(mle) ? ": less overlap with the human answers" : "").
                """
        }
        func rewardChange(_ series: String) -> String {
            let curves = results.compactMap { $0.curves[series] }.filter { !$0.isEmpty }
            guard !curves.isEmpty else { return "" }
            let first = ClassifierKit.mean(curves.map { $0.first!.1 }), last = ClassifierKit.mean(curves.map { $0.last!.1 })
            return String(format: "%.3f to %.3f", first, last)
        }
        let rlName = ChatbotLab.Method.rl.rawValue
        var rlNote = compare(.rl)
        let rl = rewardChange("RL reward"), dFake = rewardChange("GAN D(fake)")
        if !rl.isEmpty { rlNote += " RL's mean reward on its samples went from \(rl) over its steps" }
        if !rl.isEmpty && bleu(rlName) < 0.75 * bleu(mle) && d2(rlName) > d2(mle) {
            rlNote += """
                , while BLEU-2 fell by \(Int((100 * (1 - bleu(rlName) / max(bleu(mle), 1e-9))).rounded()))%: the policy found answers \
                that the hand-made reward scores higher but that resemble the human answers less, the reward hacking that motivates \
                learning the reward with a discriminator.
                """
        } else if !rl.isEmpty { rlNote += "." }
        var ganNote = compare(.gan)
        if !dFake.isEmpty { ganNote += " The discriminator's mean probability of 'human' for the GAN's samples went from \(dFake)." }
        let dLosses = results.compactMap { $0.curves["GAN D loss"]?.last?.1 }
        if !dLosses.isEmpty {
            let dLoss = ClassifierKit.mean(dLosses)
            ganNote += String(format: " Its loss ended at %.3f (ln 2 = 0.693 is chance)", dLoss)
                + (dLoss > 0.6 ? ": it barely told human from sampled answers, so its reward carried little signal." : ".")
            ganNote += String(format: """
                 Of the MLE model's sampled answers to training utterances, %.1f%% were word for word a human answer of the same \
                utterance (a model that has memorised its training pairs leaves the discriminator little to find there).
                """, 100 * ClassifierKit.mean(results.map(\.copiedShare)))
        }
        context.note(rlNote + " " + ganNote)
        let size = source == .chatterbot ? "ChatterBot is tiny and topic-specific" : "the Friends transcripts have 60 thousand turns"
        context.note("""
            Human answers for scale: mean length \(pm(values("human") { $0.diversity.meanLength }, 1)), distinct-2 \
            \(pm(values("human") { $0.diversity.distinct2 }, 3)), top-answer share \
            \(pm(values("human") { 100 * $0.diversity.topResponseShare }, 1))%. Li et al. (2016) report more distinct unigrams and \
            bigrams for their RL model than for MLE, and Li et al. (2017) that human judges prefer the adversarially trained model's \
            answers, both on OpenSubtitles, a corpus of millions of turns; \(size), so only directions are comparable. The hand-made \
            reward pays for length and rare words, so RL's gains on those counts are what it was paid for; BLEU-2 shows what they \
            cost in overlap with human answers.
            """)
    }
}
