import Foundation
import Graft
import GraftData

/// The style-transfer lab's data: Bible verses in the King James Version (style 0, archaic) and
/// the World English Bible (style 1, modern), lower-cased words, verses short in both versions.
/// A held-out set keeps its alignment for evaluation only; the other verses are shuffled and cut
/// into two disjoint halves, the first read only in its archaic version and the second only in
/// its modern one, so no training verse is seen in both styles and no pair is ever used.
struct StyleTransferCorpus {
    /// A held-out verse in both styles, as words (out-of-vocabulary words kept).
    struct TestVerse { let reference: String; let words: [[String]] }

    /// The two styles' names, in index order.
    static let styles = ["archaic (KJV)", "modern (WEB)"]

    let vocabulary: Vocabulary
    /// Training sentences per style as words, and as token indices.
    let words: [[[String]]]
    let tokens: [[[Int]]]
    /// The verse reference of each training sentence, per style.
    let references: [[String]]
    let test: [TestVerse]
    /// Verses that met the length limit, out of all.
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
            throw LabError("style-transfer: only \(short.count) verses have at most \(maxLength) words in both versions; \(testCount) test verses and two training halves need more")
        }
        let order = RandomGenerator(seed: seed &* 7_919 &+ 11).permutation(short.count).map { short[$0] }
        test = order.prefix(testCount).map { TestVerse(reference: $0.0, words: [$0.1, $0.2]) }
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

    /// Token indices of `words` (unknown words become the unknown token).
    func encode(_ words: [String]) -> [Int] { vocabulary.encode(words) }

    /// Words of `ids`, special tokens other than the unknown token dropped.
    func decode(_ ids: [Int]) -> [String] {
        ids.compactMap { $0 == vocabulary.unknownIndex ? vocabulary.token(at: $0) : vocabulary.decode([$0], stripSpecial: true).first }
    }
}
