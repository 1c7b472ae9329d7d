import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Well-formedness checks for generated SVG.
enum WellFormed {
    /// Nil when `xml` is well-formed, else what is wrong. Uses Foundation's XMLParser where
    /// it exists (its `parse()` may return true after a recovered error, so `parserError`
    /// is checked too), and always a small tag-balance and entity check of our own.
    static func problem(_ xml: String) -> String? {
        #if canImport(FoundationXML) || canImport(Darwin)
        let parser = XMLParser(data: Data(xml.utf8))
        if !parser.parse() || parser.parserError != nil {
            return "XMLParser: \(parser.parserError.map { "\($0)" } ?? "failed") at line \(parser.lineNumber)"
        }
        #endif
        return minimalProblem(xml)
    }

    /// Tags balance with a single root, attributes are quoted, and every `&` starts an entity.
    static func minimalProblem(_ xml: String) -> String? {
        var stack: [Substring] = []
        var roots = 0
        var rest = Substring(xml)
        if rest.hasPrefix("<?xml") {
            guard let end = rest.range(of: "?>") else { return "unterminated XML declaration" }
            rest = rest[end.upperBound...]
        }
        while let open = rest.firstIndex(where: { $0 == "<" || $0 == "&" }) {
            let text = rest[..<open]
            if stack.isEmpty && !text.allSatisfy(\.isWhitespace) { return "text outside the root: \(text.prefix(20))" }
            if rest[open] == "&" {
                let after = rest[open...]
                guard let semi = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semi) <= 8 else {
                    return "bare & near \(after.prefix(20))"
                }
                let name = after[after.index(after: after.startIndex)..<semi]
                guard ["amp", "lt", "gt", "quot", "apos"].contains(name) || name.hasPrefix("#") else { return "unknown entity &\(name);" }
                rest = after[after.index(after: semi)...]
                continue
            }
            guard let close = rest[open...].firstIndex(of: ">") else { return "unterminated tag" }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("/") {
                guard let top = stack.popLast(), top == tag.dropFirst() else { return "mismatched </\(tag.dropFirst())>" }
                continue
            }
            let name = tag.prefix { !$0.isWhitespace && $0 != "/" }
            guard !name.isEmpty else { return "empty tag name" }
            // Attributes: name="value" pairs, no stray < inside values.
            let attrs = tag.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
            let body = attrs.hasSuffix("/") ? String(attrs.dropLast()) : attrs
            if body.filter({ $0 == "\"" }).count % 2 != 0 || body.contains("<") { return "bad attributes in <\(name)>" }
            if stack.isEmpty { roots += 1 }
            if !tag.hasSuffix("/") { stack.append(name) }
        }
        if !rest.allSatisfy(\.isWhitespace) { return "text after the root" }
        if !stack.isEmpty { return "unclosed <\(stack.last!)>" }
        return roots == 1 ? nil : "\(roots) root elements"
    }
}
