import Foundation

/// A delimited text file (CSV, TSV): rows of string fields and an optional header row.
///
/// Parsing works on bytes: the separator and the quote are ASCII, and no byte of a multi-byte
/// UTF-8 sequence is ASCII, so fields split correctly whatever text they hold. With quoting
/// (the default for CSV) fields follow RFC 4180: a field that begins with `"` runs to the next
/// lone `"` and may hold separators, newlines and doubled quotes (`""` for one `"`), and only a
/// separator or the end of the line may follow its closing quote. A `"` inside an unquoted
/// field is kept as it is. Lines end in "\n" or "\r\n"; a final newline adds no row.
public struct Delimited: Sendable {
    /// How many fields rows must have.
    public enum Columns: Sendable, Equatable {
        /// Rows may have any number of fields.
        case any
        /// Every row has as many fields as the header, or as the first row when there is none.
        case uniform
        /// Every row, and the header, has exactly this many fields.
        case exactly(Int)
    }

    /// The file the rows came from, for error messages.
    public let path: String
    /// The header row's fields, when the file was read with `hasHeader`.
    public let header: [String]?
    /// The rows after the header, in file order.
    public let rows: [[String]]
    /// The 1-based line on which each row begins (a quoted field may span lines).
    public let lineNumbers: [Int]

    /// Reads `url` (gzip or not). `separator` is one ASCII character; `quoting` defaults to
    /// true for a comma separator and false otherwise (TSV files rarely quote); blank lines
    /// are skipped unless `skipBlankLines` is false (then they are rows of one empty field).
    public static func read(_ url: URL, separator: Character = ",", hasHeader: Bool = false,
                            quoting: Bool? = nil, columns: Columns = .any, skipBlankLines: Bool = true) throws -> Delimited {
        try parse(Gzip.readFile(url), path: url.path, separator: separator, hasHeader: hasHeader,
                  quoting: quoting, columns: columns, skipBlankLines: skipBlankLines)
    }

    /// Parses the bytes of a delimited file as `read` does; `path` names the source in errors.
    public static func parse(_ bytes: [UInt8], path: String = "<memory>", separator: Character = ",", hasHeader: Bool = false,
                             quoting: Bool? = nil, columns: Columns = .any, skipBlankLines: Bool = true) throws -> Delimited {
        guard let sepValue = separator.asciiValue, sepValue != 0x22, sepValue != 0x0A, sepValue != 0x0D else {
            throw DataError(path, "separator \(separator.debugDescription) must be one ASCII character other than a quote, \"\\r\" or \"\\n\"")
        }
        if case .exactly(let k) = columns, k < 1 {
            throw DataError(path, "a required column count must be positive, got \(k)")
        }
        try UTF8Validation.check(bytes, path: path)
        var rows = try split(bytes, path: path, separator: sepValue, quoting: quoting ?? (separator == ","), skipBlankLines: skipBlankLines)
        var header: [String]? = nil
        var headerLine = 0
        if hasHeader {
            guard !rows.isEmpty else { throw DataError(path, "empty file: expected a header row") }
            let first = rows.removeFirst()
            header = first.fields
            headerLine = first.line
        }
        let expected: Int?
        switch columns {
        case .any: expected = nil
        case .exactly(let k): expected = k
        case .uniform: expected = header?.count ?? rows.first?.fields.count
        }
        if let expected {
            let reference: String
            switch columns {
            case .exactly: reference = "required"
            default: reference = header != nil ? "as in the header on line \(headerLine)" : "as in the first row on line \(rows.first?.line ?? 0)"
            }
            if let header, header.count != expected {
                throw DataError(path, "line \(headerLine): the header has \(header.count) fields, expected \(expected) (\(reference))")
            }
            if let bad = rows.first(where: { $0.fields.count != expected }) {
                throw DataError(path, "line \(bad.line): \(bad.fields.count) fields, expected \(expected) (\(reference))")
            }
        }
        return Delimited(path: path, header: header, rows: rows.map(\.fields), lineNumbers: rows.map(\.line))
    }

    /// Splits validated UTF-8 bytes into rows, each with the line it begins on.
    static func split(_ bytes: [UInt8], path: String, separator sep: UInt8, quoting: Bool,
                      skipBlankLines: Bool) throws -> [(line: Int, fields: [String])] {
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var rows: [(line: Int, fields: [String])] = []
        var line = 1
        var quoted: [UInt8] = []
        try bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = UTF8Validation.bomLength(bytes)
            while i < n {
                if skipBlankLines {
                    if buf[i] == lf { line += 1; i += 1; continue }
                    if buf[i] == cr && (i + 1 == n || buf[i + 1] == lf) { line += 1; i += 2; continue }
                }
                let rowLine = line
                var fields: [String] = []
                while true {
                    if quoting && i < n && buf[i] == quote {
                        let openLine = line, openOffset = i
                        i += 1
                        quoted.removeAll(keepingCapacity: true)
                        while true {
                            guard i < n else {
                                throw DataError(path, "line \(openLine): unterminated quoted field opened at byte offset \(openOffset); "
                                                      + "the file ends inside it")
                            }
                            let c = buf[i]
                            if c == quote {
                                if i + 1 < n && buf[i + 1] == quote { quoted.append(quote); i += 2; continue }
                                i += 1
                                break
                            }
                            if c == lf { line += 1 }
                            quoted.append(c)
                            i += 1
                        }
                        fields.append(String(decoding: quoted, as: UTF8.self))
                        if i == n { break }
                        if buf[i] == sep { i += 1; continue }
                        if buf[i] == lf { i += 1; line += 1; break }
                        if buf[i] == cr && (i + 1 == n || buf[i + 1] == lf) { i += 2; line += 1; break }
                        let shown = String(decoding: [buf[i]], as: UTF8.self)
                        throw DataError(path, "line \(line): unexpected \(shown.debugDescription) at byte offset \(i) "
                                              + "after the closing quote of a field (expected the separator or the end of the line)")
                    }
                    let start = i
                    while i < n && buf[i] != sep && buf[i] != lf { i += 1 }
                    var end = i
                    if (i == n || buf[i] == lf) && end > start && buf[end - 1] == cr { end -= 1 }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self))
                    if i < n && buf[i] == sep { i += 1; continue }
                    if i < n { i += 1; line += 1 }
                    break
                }
                rows.append((rowLine, fields))
            }
        }
        return rows
    }

    /// The index of the header column called `name`, or an error naming the file and the header.
    public func column(_ name: String) throws -> Int {
        guard let header else { throw DataError(path, "has no header row to find column \"\(name)\" in") }
        guard let index = header.firstIndex(of: name) else {
            throw DataError(path, "no column \"\(name)\" in the header \(header)")
        }
        return index
    }

    /// An error about row `row` (an index into `rows`), naming the file and the row's line.
    public func error(row: Int, _ reason: String) -> DataError {
        DataError(path, "line \(lineNumbers[row]): \(reason)")
    }

    /// The field at `column` of row `row` as a number, or an error naming the line and field.
    public func number(row: Int, column: Int) throws -> Float {
        guard rows[row].indices.contains(column) else {
            throw error(row: row, "has \(rows[row].count) fields, no field \(column + 1)")
        }
        let text = rows[row][column]
        guard let value = Float(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw error(row: row, "field \(column + 1) is \(text.debugDescription), expected a finite number")
        }
        return value
    }
}
