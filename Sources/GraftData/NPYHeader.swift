import Foundation

/// Parses the header of a `.npy` file: the Python literal of a dict with exactly the keys
/// 'descr' (a type string), 'fortran_order' (True or False) and 'shape' (a tuple of whole
/// numbers), in any order, with any whitespace, a trailing comma allowed after the last entry
/// and after the last dimension, and Python 2's `L` suffix accepted on numbers. Errors give
/// the byte offset in the file.
struct NPYHeaderParser {
    /// A value of the dict.
    enum Value {
        case string(String)
        case bool(Bool)
        case int(Int)
        case tuple([Int])
    }

    /// The whole file.
    let bytes: [UInt8]
    /// The next byte to read (an offset in the file).
    var position: Int
    /// Where the header ends.
    let end: Int
    /// The file, for errors.
    let path: String

    /// The byte at `position`, or nil at the end of the header.
    var peek: UInt8? { position < end ? bytes[position] : nil }

    /// An error at `offset`.
    func failure(_ reason: String, at offset: Int? = nil) -> DataError {
        DataError(path, "bad header at offset \(offset ?? position): \(reason)")
    }

    /// How the byte at `position` reads in an error message.
    var shown: String {
        guard let c = peek else { return "the end of the header" }
        return (0x20..<0x7F).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : String(format: "byte 0x%02x", c)
    }

    /// Skips spaces, tabs and newlines.
    mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    /// Consumes `char` or throws naming what was found instead.
    mutating func expect(_ char: Character, _ what: String) throws {
        guard peek == char.asciiValue else { throw failure("expected \(what), found \(shown)") }
        position += 1
    }

    /// Parses the dict and returns its type and shape.
    mutating func parse() throws -> (dtype: NPY.DType, shape: [Int]) {
        let dictOffset = position
        skipSpace()
        try expect("{", "'{' opening the header dict")
        var descr: (value: String, offset: Int)? = nil
        var fortran: (value: Bool, offset: Int)? = nil
        var shape: (value: [Int], offset: Int)? = nil
        while true {
            skipSpace()
            if peek == UInt8(ascii: "}") { position += 1; break }
            let keyOffset = position
            guard case .string(let key) = try value() else {
                throw failure("expected a quoted key ('descr', 'fortran_order' or 'shape')", at: keyOffset)
            }
            skipSpace()
            try expect(":", "':' after the key '\(key)'")
            skipSpace()
            let valueOffset = position
            let v = try value()
            switch key {
            case "descr":
                guard descr == nil else { throw failure("the key 'descr' appears twice", at: keyOffset) }
                guard case .string(let s) = v else { throw failure("'descr' must be a type string such as '<f4'", at: valueOffset) }
                descr = (s, valueOffset)
            case "fortran_order":
                guard fortran == nil else { throw failure("the key 'fortran_order' appears twice", at: keyOffset) }
                guard case .bool(let b) = v else { throw failure("'fortran_order' must be True or False", at: valueOffset) }
                fortran = (b, valueOffset)
            case "shape":
                guard shape == nil else { throw failure("the key 'shape' appears twice", at: keyOffset) }
                guard case .tuple(let dims) = v else {
                    throw failure("'shape' must be a tuple of whole numbers such as (2, 3) or (5,)", at: valueOffset)
                }
                shape = (dims, valueOffset)
            default:
                throw failure("unexpected key '\(key)' (expected 'descr', 'fortran_order' and 'shape')", at: keyOffset)
            }
            skipSpace()
            if peek == UInt8(ascii: ",") { position += 1; continue }
            if peek == UInt8(ascii: "}") { position += 1; break }
            throw failure("expected ',' or '}' after the value of '\(key)', found \(shown)")
        }
        skipSpace()
        guard position == end else { throw failure("unexpected \(shown) after the header dict (expected only spaces and a newline)") }
        guard let descr else { throw failure("the header dict has no key 'descr'", at: dictOffset) }
        guard let fortran else { throw failure("the header dict has no key 'fortran_order'", at: dictOffset) }
        guard let shape else { throw failure("the header dict has no key 'shape'", at: dictOffset) }
        guard !fortran.value else {
            throw failure("fortran_order is True (column-major), which Graft does not read; "
                          + "save a C-order array (numpy.ascontiguousarray)", at: fortran.offset)
        }
        guard let dtype = NPY.DType(descr: descr.value) else {
            throw failure("unsupported dtype '\(descr.value)' "
                          + "(expected a bool, integer or float type such as '|u1', '<i4', '<f4' or '>f8')", at: descr.offset)
        }
        return (dtype, shape.value)
    }

    /// Parses a string, True/False, a whole number or a tuple of whole numbers.
    mutating func value() throws -> Value {
        let start = position
        guard let c = peek else { throw failure("expected a value, found the end of the header") }
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            position += 1
            let contentStart = position
            while let d = peek, d != c {
                guard d != UInt8(ascii: "\\") else { throw failure("escape sequences in strings are not supported") }
                guard d >= 0x20 && d < 0x7F else { throw failure("unexpected \(shown) in a string (expected printable ASCII)") }
                position += 1
            }
            guard peek == c else { throw failure("unterminated string that starts here", at: start) }
            position += 1
            return .string(String(decoding: bytes[contentStart..<(position - 1)], as: UTF8.self))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
            while let d = peek,
                  (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(d) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(d) {
                position += 1
            }
            let word = String(decoding: bytes[start..<position], as: UTF8.self)
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            default: throw failure("unexpected word '\(word)' (expected True, False, a string, a number or a tuple)", at: start)
            }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return .int(try dimension())
        case UInt8(ascii: "("):
            position += 1
            var dims: [Int] = []
            var sawComma = false
            skipSpace()
            while peek != UInt8(ascii: ")") {
                dims.append(try dimension())
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    sawComma = true
                    position += 1
                    skipSpace()
                } else if peek != UInt8(ascii: ")") {
                    throw failure("expected ',' or ')' in the shape tuple, found \(shown)")
                }
            }
            position += 1
            // (5) is the number 5 in Python, not a tuple.
            if dims.count == 1 && !sawComma { return .int(dims[0]) }
            return .tuple(dims)
        case UInt8(ascii: "["):
            throw failure("structured dtypes (a list for 'descr') are not supported")
        default:
            throw failure("unexpected \(shown) (expected a value)")
        }
    }

    /// Parses a non-negative whole number (a Python 2 `L` suffix allowed).
    mutating func dimension() throws -> Int {
        let start = position
        guard let first = peek else { throw failure("expected a whole number, found the end of the header") }
        if first == UInt8(ascii: "-") { throw failure("negative dimension") }
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw failure("expected a whole number, found \(shown)")
        }
        var v = 0
        while let d = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(d - UInt8(ascii: "0")))
            guard !o1 && !o2 else { throw failure("number too large", at: start) }
            v = s
            position += 1
        }
        if peek == UInt8(ascii: "L") || peek == UInt8(ascii: "l") { position += 1 }
        return v
    }
}
