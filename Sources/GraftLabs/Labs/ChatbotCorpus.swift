import Foundation
import Graft
import GraftData

/// The chatbot lab's data: ChatterBot exchanges tokenized (lower-cased words), capped in length,
/// split by distinct utterance so that no test utterance is seen in training, with one shared
/// vocabulary of the training words seen at least twice.
struct ChatbotCorpus {
    /// A training exchange as token indices (no begin or end tokens).
    struct Exchange { let query: [Int], response: [Int] }
    /// A held-out utterance with every human answer it has in the corpus.
    struct TestItem { let utterance: [String], query: [Int], answers: [[String]] }

    let vocabulary: Vocabulary
    let train: [Exchange]
    let test: [TestItem]
    /// Distinct utterances in all, and pairs in the bundled file.
    let distinctUtterances: Int, pairs: Int

    /// Tokenizes `pairs`, caps every side at `maxLength` tokens and holds out `testShare` of the
    /// distinct utterances, drawn with `seed`.
    init(_ pairs: [ChatterBotPairs.Pair], maxLength: Int, testShare: Double, seed: UInt64) throws {
        let tokenizer = WordTokenizer(lowercased: true)
        let tokenized = pairs.map { (Array(tokenizer.tokenize($0.utterance).prefix(maxLength)), Array(tokenizer.tokenize($0.response).prefix(maxLength))) }
            .filter { !$0.0.isEmpty && !$0.1.isEmpty }
        var answers: [[String]: [[String]]] = [:], order: [[String]] = []
        for (u, r) in tokenized {
            if answers[u] == nil { order.append(u) }
            answers[u, default: []].append(r)
        }
        let permutation = RandomGenerator(seed: seed &* 41 &+ 3).permutation(order.count)
        let testCount = max(1, Int((Double(order.count) * testShare).rounded()))
        let testUtterances = permutation.prefix(testCount).map { order[$0] }
        let trainUtterances = Set(permutation.dropFirst(testCount).map { order[$0] })
        let trainPairs = tokenized.filter { trainUtterances.contains($0.0) }
        guard !trainPairs.isEmpty else { throw LabError("chatbot: no training pairs are left after holding out \(testCount) utterances") }
        let vocabulary = Vocabulary(building: trainPairs.flatMap { [$0.0, $0.1] }, minFrequency: 2)
        self.vocabulary = vocabulary
        train = trainPairs.map { Exchange(query: vocabulary.encode($0.0), response: vocabulary.encode($0.1)) }
        test = testUtterances.map { TestItem(utterance: $0, query: vocabulary.encode($0), answers: answers[$0]!) }
        distinctUtterances = order.count
        self.pairs = pairs.count
    }

    /// Words of `ids`, special tokens dropped.
    func words(_ ids: [Int]) -> [String] { vocabulary.decode(ids, stripSpecial: true) }
}
