import Foundation

/// One self-contained HTML page about a lab run: title, summary, headline numbers against
/// the paper's, sections of text, tables and figures, and a footer saying how it ran.
/// The page needs no network and no JavaScript; figures are inline SVG.
public struct Report: Equatable, Sendable {
    /// A titled part of the page.
    public struct Section: Equatable, Sendable {
        /// One piece of a section, in page order.
        public enum Block: Equatable, Sendable {
            /// A paragraph of plain text.
            case paragraph(String)
            /// A metrics table with an optional caption above it.
            case metrics([Metric], caption: String)
            /// A rendered chart and its caption.
            case figure(svg: String, caption: String)
            /// A two-column table of names and values (e.g. the configuration).
            case keyValues([KeyValue], caption: String)
            /// A table with a header row; cells that read as numbers are right-aligned.
            case table(header: [String], rows: [[String]], caption: String)
        }

        /// The heading.
        public var heading: String
        /// The contents in order.
        public var blocks: [Block]

        /// An empty section.
        public init(_ heading: String, blocks: [Block] = []) {
            self.heading = heading
            self.blocks = blocks
        }

        /// Adds a paragraph of plain text (escaped; no markup).
        public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }

        /// Adds a metrics table.
        public mutating func metrics(_ metrics: [Metric], caption: String = "") {
            blocks.append(.metrics(metrics, caption: caption))
        }

        /// Adds a chart, rendered now, with a caption under it.
        public mutating func figure(_ chart: some Chart, caption: String = "") {
            blocks.append(.figure(svg: chart.svg(), caption: caption))
        }

        /// Adds a table of names and values, in the order given.
        public mutating func keyValues(_ pairs: [KeyValue], caption: String = "") {
            blocks.append(.keyValues(pairs, caption: caption))
        }

        /// Adds a table of names and values, in the order given.
        public mutating func keyValues(_ pairs: KeyValuePairs<String, String>, caption: String = "") {
            keyValues(pairs.map { KeyValue($0.key, $0.value) }, caption: caption)
        }

        /// Adds a table; short rows are padded with empty cells.
        public mutating func table(header: [String], rows: [[String]], caption: String = "") {
            blocks.append(.table(header: header, rows: rows, caption: caption))
        }
    }

    /// A name and its value.
    public struct KeyValue: Equatable, Sendable {
        /// The name.
        public var key: String
        /// The value, as text.
        public var value: String

        /// A pair.
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// How the run was made, shown at the bottom of the page.
    public struct Footer: Equatable, Sendable {
        /// The random seed.
        public var seed: UInt64?
        /// Worker threads.
        public var threads: Int?
        /// The code version, e.g. a commit hash.
        public var codeVersion: String?
        /// Wall-clock time of the run in seconds.
        public var wallTime: Double?
        /// Anything else worth a mention, in order.
        public var extra: [KeyValue]

        /// A footer; every part is optional.
        public init(seed: UInt64? = nil, threads: Int? = nil, codeVersion: String? = nil, wallTime: Double? = nil,
                    extra: [KeyValue] = []) {
            self.seed = seed
            self.threads = threads
            self.codeVersion = codeVersion
            self.wallTime = wallTime
            self.extra = extra
        }

        /// The parts as short phrases.
        var parts: [String] {
            var parts: [String] = []
            if let seed { parts.append("seed \(seed)") }
            if let threads { parts.append(threads == 1 ? "1 thread" : "\(threads) threads") }
            if let codeVersion { parts.append("code \(codeVersion)") }
            if let wallTime { parts.append("wall time \(Footer.duration(wallTime))") }
            parts += extra.map { "\($0.key) \($0.value)" }
            return parts
        }

        /// "12.3 s", "4 min 05 s", "2 h 03 min".
        static func duration(_ seconds: Double) -> String {
            guard seconds.isFinite, seconds >= 0 else { return "unknown" }
            if seconds < 60 { return NumberFormat.fixed(seconds, decimals: seconds < 10 ? 2 : 1) + " s" }
            let whole = Int(seconds.rounded())
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            if whole < 3600 { return "\(whole / 60) min \(two(whole % 60)) s" }
            return "\(whole / 3600) h \(two(whole % 3600 / 60)) min"
        }
    }

    /// The page title.
    public var title: String
    /// One line under the title saying what was run and what came out.
    public var summary: String
    /// The numbers that matter most, shown first and listed on index pages.
    public var headline: [Metric]
    /// The sections in order.
    public var sections: [Section]
    /// How the run was made.
    public var footer: Footer

    /// A report with no sections yet.
    public init(title: String, summary: String = "", headline: [Metric] = [], sections: [Section] = [],
                footer: Footer = Footer()) {
        self.title = title
        self.summary = summary
        self.headline = headline
        self.sections = sections
        self.footer = footer
    }

    /// Appends a section.
    public mutating func add(_ section: Section) { sections.append(section) }

    /// The whole page.
    public func html() -> String {
        var body = "<header>\n<h1>\(Markup.escape(title))</h1>\n"
        if !summary.isEmpty { body += "<p class=\"summary\">\(Markup.escape(summary))</p>\n" }
        body += "</header>\n"
        if !headline.isEmpty {
            body += "<section id=\"headline\">\n<h2>Headline results</h2>\n" + HTMLPage.metricsTable(headline) + "</section>\n"
        }
        var figureNumber = 0
        for (index, section) in sections.enumerated() {
            body += "<section id=\"section-\(index + 1)\">\n<h2>\(Markup.escape(section.heading))</h2>\n"
            for block in section.blocks {
                body += Report.render(block, figureNumber: &figureNumber)
            }
            body += "</section>\n"
        }
        let parts = footer.parts
        body += "<footer>" + (["Graft report"] + parts).map { "<span>\(Markup.escape($0))</span>" }.joined() + "</footer>\n"
        return HTMLPage.document(title: title, body: body)
    }

    /// The HTML of one block; figures are numbered in page order.
    static func render(_ block: Section.Block, figureNumber: inout Int) -> String {
        func caption(_ text: String) -> String { text.isEmpty ? "" : "<p class=\"caption\">\(Markup.escape(text))</p>\n" }
        switch block {
        case .paragraph(let text):
            return "<p>\(Markup.escape(text))</p>\n"
        case .metrics(let metrics, let text):
            return caption(text) + HTMLPage.metricsTable(metrics)
        case .figure(let svg, let text):
            figureNumber += 1
            let label = "Figure \(figureNumber)." + (text.isEmpty ? "" : " " + text)
            return "<figure>\n\(svg)\n<figcaption>\(Markup.escape(label))</figcaption>\n</figure>\n"
        case .keyValues(let pairs, let text):
            var html = caption(text) + "<table class=\"kv\">\n<tbody>\n"
            for pair in pairs {
                html += "<tr><th scope=\"row\">\(Markup.escape(pair.key))</th><td>\(Markup.escape(pair.value))</td></tr>\n"
            }
            return html + "</tbody>\n</table>\n"
        case .table(let header, let rows, let text):
            let width = max(header.count, rows.map(\.count).max() ?? 0)
            // A column whose filled cells all read as numbers is right-aligned, header included.
            let numeric = (0..<width).map { i in
                let filled = rows.compactMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil }
                return !filled.isEmpty && filled.allSatisfy(HTMLPage.isNumeric)
            }
            func cells(_ row: [String], tag: String) -> String {
                (0..<width).map { i -> String in
                    let cell = i < row.count ? row[i] : ""
                    return "<\(tag)\(numeric[i] ? " class=\"num\"" : "")>\(Markup.escape(cell))</\(tag)>"
                }.joined()
            }
            var html = caption(text) + "<table class=\"data\">\n"
            if !header.isEmpty { html += "<thead><tr>\(cells(header, tag: "th"))</tr></thead>\n" }
            html += "<tbody>\n" + rows.map { "<tr>\(cells($0, tag: "td"))</tr>\n" }.joined() + "</tbody>\n</table>\n"
            return html
        }
    }

    /// Writes the page to `url` atomically (a temporary file renamed into place), creating
    /// the folder if needed.
    public func write(to url: URL) throws { try HTMLPage.write(html(), to: url) }
}
