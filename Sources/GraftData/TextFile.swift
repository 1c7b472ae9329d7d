import Foundation

/// Plain-text files (a corpus, a list of class names) read as lines.
public enum TextFile {
    /// Reads `url` (gzip or not) as UTF-8 lines: a leading byte order mark is dropped, lines
    /// end at "\n" with a trailing "\r" stripped, and a final newline adds no empty line.
    /// With `dropEmptyLines`, lines that are empty or hold only spaces and tabs are left out.
    /// Invalid UTF-8 is refused, naming the byte offset in the (decompressed) contents.
    public static func lines(_ url: URL, dropEmptyLines: Bool = false) throws -> [String] {
        try parseLines(Gzip.readFile(url), path: url.path, dropEmptyLines: dropEmptyLines)
    }

    /// Splits UTF-8 bytes into lines as `lines(_:dropEmptyLines:)` does; `path` names the source in errors.
    public static func parseLines(_ bytes: [UInt8], path: String = "<memory>", dropEmptyLines: Bool = false) throws -> [String] {
        try UTF8Validation.check(bytes, path: path)
        var result: [String] = []
        bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var start = UTF8Validation.bomLength(bytes)
            while start < n {
                var end = start
                while end < n && buf[end] != 0x0A { end += 1 }
                var last = end
                if last > start && buf[last - 1] == 0x0D { last -= 1 }
                let line = UnsafeBufferPointer(rebasing: buf[start..<last])
                if !dropEmptyLines || line.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                    result.append(String(decoding: line, as: UTF8.self))
                }
                start = end + 1
            }
        }
        return result
    }
}
