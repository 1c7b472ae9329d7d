/// Splits text into words and punctuation marks, Unicode-aware (decisions are made on Swift
/// `Character`s and their Unicode properties, so accented, Cyrillic, Greek or CJK letters and
/// letters with combining marks are word characters).
///
/// - A word is a run of letters and numbers (`Character.isLetter` / `isNumber`). An apostrophe
///   (' or ’) between two word characters stays inside the word ("don't", "God’s"), and so do
///   "." and "," between two digits ("3.14", "1,000").
/// - Whitespace (`Character.isWhitespace`) separates tokens and is dropped.
/// - Every other character (punctuation, symbols, emoji) is a token of its own, except marks
///   with no base character (a combining mark or joiner at the start of the text or after a
///   control character such as a line break), which are dropped, as they are after a space.
///
/// Scripts written without spaces (Chinese, Japanese) come out as one word per run of letters.
///
/// `detokenize` joins tokens with single spaces but attaches punctuation the usual English way:
/// closing marks (. , ; : ! ? ) ] } ” ’ » % …) to the word before, opening marks (( [ { “ ‘ « ¿ ¡
/// # @ and currency signs) to the word after, hyphens, dashes, slashes and "_" to both sides, and
/// straight double quotes alternately as opening and closing. It never glues two tokens into
/// one word, so `tokenize(detokenize(tokens)) == tokens` for any tokens `tokenize` produced, and
/// `detokenize(tokenize(text)) == text` for text that is already in that normalised form.
public struct WordTokenizer: Tokenizer, Equatable {
    /// Whether text is lower-cased (Unicode-aware, `String.lowercased()`) before splitting.
    public var lowercased: Bool

    /// A word tokenizer, lower-casing when `lowercased` is true.
    public init(lowercased: Bool = false) { self.lowercased = lowercased }

    /// Whether `c` belongs to a word: a letter or a number.
    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// Whether `c` is a mark that did not attach to a base character (a combining mark, joiner
    /// or emoji modifier starting a grapheme of its own): such a mark would fuse with a space.
    static func isOrphanMark(_ c: Character) -> Bool {
        guard let p = c.unicodeScalars.first?.properties else { return false }
        return p.isGraphemeExtend || p.isJoinControl || p.isEmojiModifier || p.generalCategory == .spacingMark
    }

    /// Whether `c`, between `before` and `after`, joins them into one word: an apostrophe
    /// between word characters, or a decimal point or thousands separator between digits.
    static func joinsWord(_ c: Character, before: Character, after: Character) -> Bool {
        switch c {
        case "'", "\u{2019}": return isWordCharacter(before) && isWordCharacter(after)
        case ".", ",": return before.isNumber && after.isNumber
        default: return false
        }
    }

    /// The words and punctuation marks of `text`, in order.
    public func tokenize(_ text: String) -> [String] {
        let chars = Array(lowercased ? text.lowercased() : text)
        var tokens: [String] = []
        var word = ""
        for (i, c) in chars.enumerated() {
            if Self.isWordCharacter(c) {
                word.append(c)
            } else if !word.isEmpty, i + 1 < chars.count, Self.joinsWord(c, before: chars[i - 1], after: chars[i + 1]) {
                word.append(c)
            } else {
                if !word.isEmpty { tokens.append(word); word = "" }
                if !c.isWhitespace && !Self.isOrphanMark(c) { tokens.append(String(c)) }
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    /// How a one-character punctuation token attaches to its neighbours.
    enum Attachment { case spaced, toPrevious, toNext, toBoth, straightQuote }

    /// The attachment of `token`: words, numbers and symbols are spaced.
    static func attachment(of token: String) -> Attachment {
        guard token.count == 1, let c = token.first, !isWordCharacter(c), let scalar = c.unicodeScalars.first else { return .spaced }
        switch c {
        case "\"": return .straightQuote
        case "'": return .toPrevious
        case "/", "\u{2044}": return .toBoth
        case "\u{00BF}", "\u{00A1}", "#", "@": return .toNext
        case "&", "*", "\\", "\u{2020}", "\u{2021}": return .spaced
        default: break
        }
        switch scalar.properties.generalCategory {
        case .openPunctuation, .initialPunctuation, .currencySymbol: return .toNext
        case .closePunctuation, .finalPunctuation, .otherPunctuation: return .toPrevious
        case .connectorPunctuation, .dashPunctuation: return .toBoth
        default: return .spaced
        }
    }

    /// Whether writing `next` straight after `text` (no space) would change how the text
    /// splits: two word characters touching, a word-joining mark ending up between word
    /// characters, or two characters fusing into one grapheme.
    static func wouldMerge(_ text: String, _ next: String) -> Bool {
        guard let a = text.last, let b = next.first else { return false }
        if isWordCharacter(a) && isWordCharacter(b) { return true }
        if let before = text.dropLast().last, joinsWord(a, before: before, after: b) { return true }
        if next.count >= 2, joinsWord(b, before: a, after: next[next.index(after: next.startIndex)]) { return true }
        return (String(a) + String(b)).count != 2
    }

    /// The tokens joined with spaces, punctuation attached as described on the type.
    public func detokenize(_ tokens: [String]) -> String {
        var text = ""
        var previous = Attachment.spaced
        var quoteOpen = false
        for token in tokens where !token.isEmpty {
            var current = Self.attachment(of: token)
            if current == .straightQuote {
                current = quoteOpen ? .toPrevious : .toNext
                quoteOpen.toggle()
            }
            if !text.isEmpty {
                let attach = previous == .toNext || previous == .toBoth || current == .toPrevious || current == .toBoth
                if !attach || Self.wouldMerge(text, token) { text.append(" ") }
            }
            text.append(token)
            previous = current
        }
        return text
    }
}
