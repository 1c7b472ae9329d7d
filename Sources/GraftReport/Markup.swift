/// Escaping of text placed in HTML or SVG.
public enum Markup {
    /// `text` made safe for XML and HTML element content and quoted attribute values:
    /// `& < > " '` become entities and characters XML forbids (control characters other than
    /// tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Why a report or a figure could not be made or written.
public struct ReportError: Error, CustomStringConvertible, Equatable {
    /// What was wrong, naming the file where there is one.
    public let reason: String

    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
