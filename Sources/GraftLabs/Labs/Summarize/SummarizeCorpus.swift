import Foundation
import Graft
import GraftData
import GraftMetrics

/// The summarization lab's data: BBC articles cut to their first words and their headlines, all
/// tokenized like `rouge-score` (lower-case, ASCII letters and digits). A seeded permutation
/// holds out test articles (headlines for evaluation only) and splits the rest into two
/// disjoint halves: the documents of the first train the summarizers (their headlines only the
/// supervised upper bound), the headlines of the second are the discriminator's unpaired
/// human-written texts. The vocabulary holds the most frequent words of the training documents
/// and those headlines. The supervised upper bound has its own vocabulary, of the training
/// documents and their own headlines (its targets), so that its headline words are not unknown
/// tokens, without the unpaired models seeing which words the training headlines use.
struct SummarizeCorpus {
    /// An article as words and token indices.
    struct Item {
        /// The headline's words (references for ROUGE; targets of the supervised model).
        let title: [String]
        /// The article's first words.
        let words: [String]
        /// `words` as indices (unknown words become the unknown token).
        let tokens: [Int]
        /// The headline as indices.
        let titleTokens: [Int]
        /// `words` and the headline as indices of `pairedVocabulary`.
        let pairedTokens: [Int], pairedTitleTokens: [Int]
    }

    let vocabulary: Vocabulary
    /// The supervised model's vocabulary: set A's documents and headlines.
    let pairedVocabulary: Vocabulary
    /// The summarizers' training articles (set A).
    let train: [Item]
    /// The discriminator's headlines, from the other articles (set B), as indices.
    let headlines: [[Int]]
    /// Held-out articles.
    let test: [Item]
    /// Articles in the fetched file.
    let articles: Int

    /// Splits `articles` with `seed`: `testCount` held out, the rest halved into documents and
    /// unpaired headlines; documents keep their first `documentWords` words.
    init(_ articles: [BBCNews.Article], documentWords: Int, testCount: Int, vocabularySize: Int, seed: UInt64) throws {
        let all = articles.map { (title: ROUGE.tokenize($0.title), words: Array(ROUGE.tokenize($0.text).prefix(documentWords))) }
            .filter { !$0.title.isEmpty && !$0.words.isEmpty }
        guard all.count >= testCount + 2 else {
            throw LabError("summarize: \(all.count) usable articles, fewer than the \(testCount) held out plus two for training")
        }
        let order = RandomGenerator(seed: seed &* 7_919 &+ 5).permutation(all.count)
        let testIndices = order.prefix(testCount), rest = Array(order.dropFirst(testCount))
        let documentIndices = rest.prefix(rest.count / 2), headlineIndices = rest.dropFirst(rest.count / 2)
        let vocabulary = Vocabulary(building: documentIndices.map { all[$0].words } + headlineIndices.map { all[$0].title },
                                    minFrequency: 2, maxSize: vocabularySize)
        let paired = Vocabulary(building: documentIndices.map { all[$0].words } + documentIndices.map { all[$0].title },
                                minFrequency: 2, maxSize: vocabularySize)
        func item(_ i: Int) -> Item {
            Item(title: all[i].title, words: all[i].words, tokens: vocabulary.encode(all[i].words), titleTokens: vocabulary.encode(all[i].title),
                 pairedTokens: paired.encode(all[i].words), pairedTitleTokens: paired.encode(all[i].title))
        }
        self.vocabulary = vocabulary
        pairedVocabulary = paired
        train = documentIndices.map(item)
        headlines = headlineIndices.map { vocabulary.encode(all[$0].title) }
        test = testIndices.map(item)
        self.articles = articles.count
    }

    /// Words of `ids` under `vocabulary` (the shared one unless given): special tokens, the
    /// unknown token included, dropped.
    func words(_ ids: [Int], in vocabulary: Vocabulary? = nil) -> [String] {
        let v = vocabulary ?? self.vocabulary
        return v.decode(ids.filter { $0 != v.unknownIndex }, stripSpecial: true)
    }

    /// The share of `texts`' tokens that are the unknown token.
    static func unknownShare(_ texts: [[Int]], _ vocabulary: Vocabulary) -> Double {
        let total = texts.reduce(0) { $0 + $1.count }
        return Double(texts.reduce(0) { $0 + $1.filter { $0 == vocabulary.unknownIndex }.count }) / Double(max(total, 1))
    }
}
