import Foundation

/// A vocabulary as a plain UTF-8 text file: one token per line, in index order, special tokens
/// first, each line ended by "\n".
extension Vocabulary {
    /// Writes the vocabulary to `url` (atomically). Fails, naming the file and the index, for a
    /// token that cannot stand on a line of its own.
    public func save(to url: URL) throws {
        for (i, token) in tokens.enumerated() {
            if let problem = Vocabulary.problem(with: token) { throw DataError(url.path, "cannot be written: token \(i) \(problem)") }
        }
        var text = tokens.joined(separator: "\n")
        text.append("\n")
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw DataError(url.path, "cannot be written: \(error.localizedDescription)")
        }
    }

    /// Reads a vocabulary file (gzip-compressed or not) written by `save(to:)` or by hand. Line
    /// ends may be "\n" or "\r\n", a final line end is optional and a UTF-8 byte order mark is
    /// skipped. The first lines must be `specials.tokens` in order. Errors name the file and the
    /// line: an empty line, a duplicate token (with the line of its first occurrence), a line that
    /// is not UTF-8, or a missing special token.
    public static func load(from url: URL, specials: SpecialTokens = .standard) throws -> Vocabulary {
        try parse(Gzip.readFile(url), specials: specials, path: url.path)
    }

    /// Parses the bytes of a vocabulary file; `path` names the source in errors.
    public static func parse(_ bytes: [UInt8], specials: SpecialTokens = .standard, path: String = "<memory>") throws -> Vocabulary {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var numbered: [(Int, String)] = []
        numbered.reserveCapacity(lines.count)
        for (i, raw) in lines.enumerated() {
            var line = raw
            if i == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if line.last == 0x0D { line = line.dropLast() }
            guard let token = String(validating: line, as: UTF8.self) else {
                throw DataError(path, "line \(i + 1) is not valid UTF-8")
            }
            numbered.append((i + 1, token))
        }
        return try Vocabulary(numbered: numbered, specials: specials, source: path, unit: "line")
    }
}
