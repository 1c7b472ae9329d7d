import Foundation
import Graft
import GraftData

/// The chatbot lab's data: (utterance, response) exchanges tokenized (lower-cased words), capped
/// in length, split by distinct utterance so that no test utterance is seen in training, with one
/// shared vocabulary of the training words seen at least twice (at most `maxVocabulary` of them).
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

    /// The bundled ChatterBot pairs, as `init(exchanges:...)` takes them.
    init(_ pairs: [ChatterBotPairs.Pair], maxLength: Int, testShare: Double, seed: UInt64) throws {
        try self.init(exchanges: pairs.map { ($0.utterance, $0.response) }, maxLength: maxLength, testShare: testShare, seed: seed)
    }

    /// Tokenizes `exchanges`, caps every side at `maxLength` tokens and holds out `testShare` of
    /// the distinct utterances (at most `maxTest` of them), drawn with `seed`; the vocabulary keeps
    /// the training words seen at least twice, the `maxVocabulary` most frequent if that is set.
    init(exchanges: [(utterance: String, response: String)], maxLength: Int, testShare: Double, maxTest: Int? = nil,
         maxVocabulary: Int? = nil, seed: UInt64) throws {
        let tokenizer = WordTokenizer(lowercased: true)
        let tokenized = exchanges
            .map { (Array(tokenizer.tokenize($0.utterance).prefix(maxLength)), Array(tokenizer.tokenize($0.response).prefix(maxLength))) }
            .filter { !$0.0.isEmpty && !$0.1.isEmpty }
        var answers: [[String]: [[String]]] = [:], order: [[String]] = []
        for (u, r) in tokenized {
            if answers[u] == nil { order.append(u) }
            answers[u, default: []].append(r)
        }
        let permutation = RandomGenerator(seed: seed &* 41 &+ 3).permutation(order.count)
        let testCount = min(max(1, Int((Double(order.count) * testShare).rounded())), maxTest ?? Int.max)
        let testUtterances = permutation.prefix(testCount).map { order[$0] }
        let trainUtterances = Set(permutation.dropFirst(testCount).map { order[$0] })
        let trainPairs = tokenized.filter { trainUtterances.contains($0.0) }
        guard !trainPairs.isEmpty else { throw LabError("chatbot: no training pairs are left after holding out \(testCount) utterances") }
        let vocabulary = Vocabulary(building: trainPairs.flatMap { [$0.0, $0.1] }, minFrequency: 2, maxSize: maxVocabulary)
        self.vocabulary = vocabulary
        train = trainPairs.map { Exchange(query: vocabulary.encode($0.0), response: vocabulary.encode($0.1)) }
        test = testUtterances.map { TestItem(utterance: $0, query: vocabulary.encode($0), answers: answers[$0]!) }
        distinctUtterances = order.count
        self.pairs = exchanges.count
    }

    /// Words of `ids`, special tokens dropped.
    func words(_ ids: [Int]) -> [String] { vocabulary.decode(ids, stripSpecial: true) }
}
