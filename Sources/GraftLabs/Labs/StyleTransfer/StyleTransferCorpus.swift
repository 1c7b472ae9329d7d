import Foundation
import Graft
import GraftData

/// The style-transfer labs' data, two styles of lower-cased sentences that are never paired in
/// training. Bible: verses in the King James Version (style 0, archaic) and the World English
/// Bible (style 1, modern), short in both versions; a held-out set keeps its alignment for
/// evaluation only; the other verses are shuffled and cut into two disjoint halves, the first read
/// only in its archaic version and the second only in its modern one, so no training verse is seen
/// in both styles and no pair is ever used. Sentiment: Rotten Tomatoes snippets, rotten (style 0,
/// negative) and fresh (style 1, positive), unpaired by nature, so there is no reference.
struct StyleTransferCorpus {
    /// A held-out verse in both styles, as words (out-of-vocabulary words kept).
    struct TestVerse { let reference: String; let words: [[String]] }

    /// The Bible's two styles' names, in index order.
    static let styles = ["archaic (KJV)", "modern (WEB)"]
    /// Rotten Tomatoes' two styles' names, in index order.
    static let sentiments = ["negative (rotten)", "positive (fresh)"]

    /// The two styles' names of this corpus, in index order.
    let styleNames: [String]
    /// Held-out sentences per style, as words: the inputs of the direction from that style.
    let heldOut: [[[String]]]
    /// Whether the held-out sentences are aligned (`test[i]` in both styles), so that transfers have references.
    var aligned: Bool { !test.isEmpty }

    let vocabulary: Vocabulary
    /// Training sentences per style as words, and as token indices.
    let words: [[[String]]]
    let tokens: [[[Int]]]
    /// The verse reference (Bible) or the file line (sentiment) of each training sentence, per style.
    let references: [[String]]
    /// The aligned held-out verses (empty for the unpaired sentiment corpus).
    let test: [TestVerse]
    /// Sentences that met the length limit, out of all.
    let usable: Int, verses: Int

    /// Tokenizes the verses, keeps those with 1...`maxLength` words in both versions, holds out
    /// `testCount` of them, and caps each training side at `perSide` verses; the vocabulary holds
    /// the `vocabularySize` most frequent training words (at least twice seen), specials included.
    init(_ all: [BibleVerses.Verse], maxLength: Int, testCount: Int, perSide: Int, vocabularySize: Int, seed: UInt64) throws {
        let tokenizer = WordTokenizer(lowercased: true)
        let short = all.compactMap { verse -> (String, [String], [String])? in
            let k = tokenizer.tokenize(verse.kjv), w = tokenizer.tokenize(verse.web)
            return (1...maxLength).contains(k.count) && (1...maxLength).contains(w.count) ? (verse.reference, k, w) : nil
        }
        guard short.count >= testCount + 2 else {
            throw LabError("style-transfer: only \(short.count) verses have at most \(maxLength) words in both versions; "
                           + "\(testCount) test verses and two training halves need more")
        }
        let order = RandomGenerator(seed: seed &* 7_919 &+ 11).permutation(short.count).map { short[$0] }
        test = order.prefix(testCount).map { TestVerse(reference: $0.0, words: [$0.1, $0.2]) }
        heldOut = [test.map { $0.words[0] }, test.map { $0.words[1] }]
        styleNames = Self.styles
        let rest = order.dropFirst(testCount)
        let half = rest.count / 2
        let archaicVerses = rest.prefix(min(half, perSide)), modernVerses = rest.dropFirst(half).prefix(min(rest.count - half, perSide))
        let archaic = archaicVerses.map(\.1), modern = modernVerses.map(\.2)
        words = [archaic, modern]
        references = [archaicVerses.map(\.0), modernVerses.map(\.0)]
        let vocabulary = Vocabulary(building: archaic + modern, minFrequency: 2, maxSize: vocabularySize)
        self.vocabulary = vocabulary
        tokens = words.map { $0.map { vocabulary.encode($0) } }
        usable = short.count
        verses = all.count
    }

    /// Rotten Tomatoes' rotten (style 0) and fresh (style 1) snippets with 1...`maxLength` words,
    /// duplicates dropped; per style `testCount` are held out and at most `perSide` train. The
    /// vocabulary holds the `vocabularySize` most frequent training words (at least twice seen).
    init(sentiment: RottenTomatoes, maxLength: Int, testCount: Int, perSide: Int, vocabularySize: Int, seed: UInt64) throws {
        let tokenizer = WordTokenizer(lowercased: true)
        let sides = [sentiment.rotten, sentiment.fresh].map { lines -> [(String, [String])] in
            var seen = Set<[String]>()
            return lines.enumerated().compactMap { i, line -> (String, [String])? in
                let words = tokenizer.tokenize(line)
                guard (1...maxLength).contains(words.count), seen.insert(words).inserted else { return nil }
                return ("line \(i + 1)", words)
            }
        }
        for (s, side) in sides.enumerated() where side.count < testCount + 2 {
            throw LabError("style-transfer-sentiment: only \(side.count) \(Self.sentiments[s]) snippets have at most \(maxLength) words; "
                           + "\(testCount) test snippets and a training side need more")
        }
        let shuffled = sides.enumerated().map { s, side in
            RandomGenerator(seed: seed &* 7_919 &+ 11 &+ UInt64(s)).permutation(side.count).map { side[$0] }
        }
        heldOut = shuffled.map { $0.prefix(testCount).map(\.1) }
        let training = shuffled.map { Array($0.dropFirst(testCount).prefix(perSide)) }
        words = training.map { $0.map(\.1) }
        references = training.map { $0.map(\.0) }
        test = []
        styleNames = Self.sentiments
        let vocabulary = Vocabulary(building: words[0] + words[1], minFrequency: 2, maxSize: vocabularySize)
        self.vocabulary = vocabulary
        tokens = words.map { $0.map { vocabulary.encode($0) } }
        usable = sides.map(\.count).reduce(0, +)
        verses = sentiment.rotten.count + sentiment.fresh.count
    }

    /// The references of the direction from style `from` to style `to`: the other version of each
    /// held-out verse, or nil for an unpaired corpus.
    func references(from: Int, to: Int) -> [[String]]? { aligned ? test.map { $0.words[to] } : nil }

    /// Words of a model's output `ids` with each unknown token replaced by the next
    /// out-of-vocabulary word of its input `source`, in order (Luong et al. 2015's unknown-word
    /// copy, with a monotone alignment); unknown tokens beyond the input's unknown words are dropped.
    func decode(_ ids: [Int], copyingUnknownsFrom source: [String]) -> [String] {
        var unknowns = source.filter { vocabulary.encode([$0]).first == vocabulary.unknownIndex }[...]
        return ids.compactMap { id -> String? in
            guard id == vocabulary.unknownIndex else { return vocabulary.decode([id], stripSpecial: true).first }
            return unknowns.popFirst()
        }
    }

    /// Token indices of `words` (unknown words become the unknown token).
    func encode(_ words: [String]) -> [Int] { vocabulary.encode(words) }

    /// Words of `ids`, special tokens other than the unknown token dropped.
    func decode(_ ids: [Int]) -> [String] {
        ids.compactMap { $0 == vocabulary.unknownIndex ? vocabulary.token(at: $0) : vocabulary.decode([$0], stripSpecial: true).first }
    }
}
