import Foundation

/// UTF-8 validation that says where a file goes wrong, which `String(validating:)` does not.
enum UTF8Validation {
    /// The byte offset of the first byte that does not begin a well-formed UTF-8 sequence
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, no truncated
    /// sequence), or nil when `bytes` are valid UTF-8.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            // The allowed range of the second byte depends on the first (Unicode table 3-7).
            var length = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; hi = 0x9F
            case 0xF0: length = 4; lo = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; hi = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            guard (lo...hi).contains(bytes[i + 1]) else { return i }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// `firstInvalidOffset` of an array.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidOffset($0) }
    }

    /// Throws a `DataError` naming `path` and the offset when `bytes` are not valid UTF-8.
    static func check(_ bytes: [UInt8], path: String) throws {
        if let offset = firstInvalidOffset(bytes) {
            let shown = bytes[offset..<min(bytes.count, offset + 4)].map { String(format: "%02x", $0) }.joined(separator: " ")
            let line = 1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw DataError(path, "invalid UTF-8 at byte offset \(offset) (line \(line)): bytes \(shown) do not begin a valid sequence")
        }
    }

    /// The offset where text starts: 3 when `bytes` begin with a UTF-8 byte order mark, else 0.
    static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}
