/// The reserved tokens at the start of a `Vocabulary`, in index order, and which of them pads,
/// stands for unknown tokens, begins and ends a sequence.
public struct SpecialTokens: Sendable, Equatable {
    /// The special tokens in index order (index 0 first).
    public let tokens: [String]
    /// The padding token.
    public let pad: String
    /// The token that replaces tokens missing from the vocabulary.
    public let unknown: String
    /// The begin-of-sequence token.
    public let begin: String
    /// The end-of-sequence token.
    public let end: String

    /// `<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3.
    public static let standard = SpecialTokens(unchecked: ["<pad>", "<unk>", "<bos>", "<eos>"],
                                               pad: "<pad>", unknown: "<unk>", begin: "<bos>", end: "<eos>")

    init(unchecked tokens: [String], pad: String, unknown: String, begin: String, end: String) {
        self.tokens = tokens
        self.pad = pad
        self.unknown = unknown
        self.begin = begin
        self.end = end
    }

    /// Special tokens in the order of `tokens` (which may hold more than the four roles, such as
    /// `<mask>` or `<sep>`). Each token must be non-empty, free of line breaks and unique, and
    /// each role must name one of `tokens`; otherwise a `DataError` says which.
    public init(_ tokens: [String] = ["<pad>", "<unk>", "<bos>", "<eos>"], pad: String = "<pad>", unknown: String = "<unk>",
                begin: String = "<bos>", end: String = "<eos>") throws {
        var seen: [String: Int] = [:]
        for (i, token) in tokens.enumerated() {
            if let problem = Vocabulary.problem(with: token) {
                throw DataError("<special tokens>", "special token \(i) \(problem)")
            }
            if let first = seen[token] {
                throw DataError("<special tokens>", "special token \(i) \(Vocabulary.quoted(token)) repeats special token \(first)")
            }
            seen[token] = i
        }
        for (role, name) in [("pad", pad), ("unknown", unknown), ("begin", begin), ("end", end)] where seen[name] == nil {
            throw DataError("<special tokens>", "the \(role) token \(Vocabulary.quoted(name)) is not among the special tokens \(tokens)")
        }
        self.init(unchecked: tokens, pad: pad, unknown: unknown, begin: begin, end: end)
    }
}
