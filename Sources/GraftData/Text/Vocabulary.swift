/// A mapping between tokens and indices 0..<count: the special tokens first (by default
/// `<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3), then the vocabulary proper.
///
/// Indices feed Float32 index tensors, which hold whole numbers exactly below 2^24.
public struct Vocabulary: Sendable, Equatable {
    /// How tokens of equal frequency are ordered when a vocabulary is built.
    public enum TieBreak: String, Sendable, CaseIterable {
        /// The token seen first in the data comes first.
        case firstAppearance
        /// Tokens in ascending `String` order (Unicode canonical ordering).
        case alphabetical
    }

    /// Every token, in index order.
    public let tokens: [String]
    /// The reserved tokens, which occupy indices 0..<specials.tokens.count.
    public let specials: SpecialTokens
    /// Token -> index.
    let indices: [String: Int]

    /// Index of the padding token.
    public let padIndex: Int
    /// Index of the unknown-token token.
    public let unknownIndex: Int
    /// Index of the begin-of-sequence token.
    public let beginIndex: Int
    /// Index of the end-of-sequence token.
    public let endIndex: Int

    /// Wraps a list already checked to start with `specials` and to hold unique tokens.
    init(checked tokens: [String], specials: SpecialTokens) {
        self.tokens = tokens
        self.specials = specials
        var indices: [String: Int] = [:]
        indices.reserveCapacity(tokens.count)
        for (i, token) in tokens.enumerated() { indices[token] = i }
        self.indices = indices
        padIndex = indices[specials.pad]!
        unknownIndex = indices[specials.unknown]!
        beginIndex = indices[specials.begin]!
        endIndex = indices[specials.end]!
    }

    /// Builds a vocabulary from token sequences: the special tokens, then every token seen at
    /// least `minFrequency` times, most frequent first, ties ordered by `tieBreak`; with
    /// `maxSize`, only the first `maxSize` tokens in all (special tokens included, and always
    /// kept even when `maxSize` is smaller). Empty strings and occurrences of the special
    /// tokens in the data are not counted. The result depends only on the data and settings.
    public init<Corpus: Sequence>(building corpus: Corpus, specials: SpecialTokens = .standard, minFrequency: Int = 1,
                                  maxSize: Int? = nil, tieBreak: TieBreak = .firstAppearance)
    where Corpus.Element: Sequence, Corpus.Element.Element == String {
        let reserved = Set(specials.tokens)
        var counts: [String: Int] = [:]
        var order: [String] = []
        for sequence in corpus {
            for token in sequence where !token.isEmpty && !reserved.contains(token) {
                if let c = counts[token] { counts[token] = c + 1 } else { counts[token] = 1; order.append(token) }
            }
        }
        let firstSeen = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var kept = order.filter { counts[$0]! >= minFrequency }
        kept.sort { a, b in
            let ca = counts[a]!, cb = counts[b]!
            if ca != cb { return ca > cb }
            switch tieBreak {
            case .firstAppearance: return firstSeen[a]! < firstSeen[b]!
            case .alphabetical: return a < b
            }
        }
        if let maxSize { kept = Array(kept.prefix(max(0, maxSize - specials.tokens.count))) }
        self.init(checked: specials.tokens + kept, specials: specials)
    }

    /// A vocabulary with exactly these tokens in index order; the list must start with the
    /// special tokens and hold no empty, repeated or line-breaking token, otherwise a
    /// `DataError` names the first bad position (counted from 1).
    public init(tokens: [String], specials: SpecialTokens = .standard) throws {
        try self.init(numbered: tokens.enumerated().map { ($0 + 1, $1) }, specials: specials, source: "<tokens>", unit: "token")
    }

    /// Checks numbered tokens (line numbers of a file, or positions) and builds the vocabulary.
    init(numbered: [(Int, String)], specials: SpecialTokens, source: String, unit: String) throws {
        let k = specials.tokens.count
        guard numbered.count >= k else {
            throw DataError(source, "has \(numbered.count) \(unit)s, fewer than the \(k) special tokens \(specials.tokens)")
        }
        var seen: [String: Int] = [:]
        for (i, (number, token)) in numbered.enumerated() {
            if token.isEmpty { throw DataError(source, "\(unit) \(number) is empty\(unit == "line" ? " (every line must hold one token)" : "")") }
            if let problem = Vocabulary.problem(with: token) { throw DataError(source, "\(unit) \(number): the token \(problem)") }
            if i < k, token != specials.tokens[i] {
                throw DataError(source, "\(unit) \(number): expected special token \(Vocabulary.quoted(specials.tokens[i])), "
                                        + "found \(Vocabulary.quoted(token))")
            }
            if let first = seen[token] {
                throw DataError(source, "\(unit) \(number): duplicate token \(Vocabulary.quoted(token)) (first on \(unit) \(first))")
            }
            seen[token] = number
        }
        self.init(checked: numbered.map { $0.1 }, specials: specials)
    }

    /// Why `token` cannot be stored one per line, or nil when it can.
    static func problem(with token: String) -> String? {
        if token.isEmpty { return "is empty" }
        if token.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) { return "\(quoted(token)) contains a line break" }
        return nil
    }

    /// A token in double quotes with escapes, for error messages.
    static func quoted(_ token: String) -> String { "\"" + token.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "\"" }

    /// The number of tokens, special tokens included.
    public var count: Int { tokens.count }

    /// The index of `token`, or nil when it is not in the vocabulary.
    public func index(of token: String) -> Int? { indices[token] }

    /// Whether `token` is in the vocabulary.
    public func contains(_ token: String) -> Bool { indices[token] != nil }

    /// The token at `index`, or nil outside 0..<count.
    public func token(at index: Int) -> String? { tokens.indices.contains(index) ? tokens[index] : nil }

    /// The indices of `tokens` (unknown tokens become `unknownIndex`), with the begin and end
    /// tokens added around them when asked.
    public func encode(_ tokens: [String], addBOS: Bool = false, addEOS: Bool = false) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(tokens.count + 2)
        if addBOS { out.append(beginIndex) }
        for token in tokens { out.append(indices[token] ?? unknownIndex) }
        if addEOS { out.append(endIndex) }
        return out
    }

    /// The tokens at `ids`; an index outside 0..<count decodes as the unknown token. With
    /// `stripSpecial`, special tokens are left out, except the unknown token, which stands for a
    /// real word.
    public func decode(_ ids: [Int], stripSpecial: Bool = false) -> [String] {
        let specialCount = specials.tokens.count
        var out: [String] = []
        out.reserveCapacity(ids.count)
        for id in ids {
            let i = tokens.indices.contains(id) ? id : unknownIndex
            if stripSpecial && i < specialCount && i != unknownIndex { continue }
            out.append(tokens[i])
        }
        return out
    }
}
