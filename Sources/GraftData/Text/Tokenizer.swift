/// Splits text into string tokens and joins tokens back into text.
public protocol Tokenizer: Sendable {
    /// The tokens of `text`, in order.
    func tokenize(_ text: String) -> [String]
    /// Text whose tokens are `tokens` (the inverse of `tokenize` on normalised text).
    func detokenize(_ tokens: [String]) -> String
}

/// One token per user-perceived character (Swift `Character`, an extended grapheme cluster),
/// so "e" + combining acute accent or a family emoji is one token. `detokenize` concatenates,
/// so without lower-casing `detokenize(tokenize(text)) == text` for every string.
public struct CharacterTokenizer: Tokenizer, Equatable {
    /// Whether text is lower-cased (Unicode-aware, `String.lowercased()`) before splitting.
    public var lowercased: Bool

    /// A character tokenizer, lower-casing when `lowercased` is true.
    public init(lowercased: Bool = false) { self.lowercased = lowercased }

    /// One token per `Character` of `text` (lower-cased first when asked).
    public func tokenize(_ text: String) -> [String] {
        (lowercased ? text.lowercased() : text).map { String($0) }
    }

    /// The tokens concatenated.
    public func detokenize(_ tokens: [String]) -> String { tokens.joined() }
}
