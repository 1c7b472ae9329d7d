import Foundation

/// A page linking several reports, each with its summary and headline numbers (e.g. the
/// front page of `graft demo`'s output).
public struct IndexPage: Equatable, Sendable {
    /// One linked report.
    public struct Entry: Equatable, Sendable {
        /// The report's title (the link text).
        public var title: String
        /// Where the report is, relative to the index page, e.g. "mnist/report.html".
        public var href: String
        /// The report's summary line.
        public var summary: String
        /// The report's headline numbers.
        public var headline: [Metric]

        /// An entry.
        public init(title: String, href: String, summary: String = "", headline: [Metric] = []) {
            self.title = title
            self.href = href
            self.summary = summary
            self.headline = headline
        }
    }

    /// The page title.
    public var title: String
    /// A line under the title.
    public var summary: String
    /// The reports in order.
    public var entries: [Entry]

    /// An index with no entries yet.
    public init(title: String, summary: String = "", entries: [Entry] = []) {
        self.title = title
        self.summary = summary
        self.entries = entries
    }

    /// Links `report`, found at `href` relative to this page.
    public mutating func add(_ report: Report, href: String) {
        entries.append(Entry(title: report.title, href: href, summary: report.summary, headline: report.headline))
    }

    /// The whole page.
    public func html() -> String {
        var body = "<header>\n<h1>\(Markup.escape(title))</h1>\n"
        let compared = entries.flatMap(\.headline).filter { $0.agreement != .noPaper && $0.agreement != .missing }
        let within = compared.filter { $0.agreement == .within }.count
        var line = summary
        if !compared.isEmpty {
            line += (line.isEmpty ? "" : " ") + "\(within) of \(compared.count) headline numbers within tolerance of the paper."
        }
        if !line.isEmpty { body += "<p class=\"summary\">\(Markup.escape(line))</p>\n" }
        body += "</header>\n"
        for entry in entries {
            body += "<section class=\"card\">\n<h2><a href=\"\(Markup.escape(entry.href))\">\(Markup.escape(entry.title))</a></h2>\n"
            if !entry.summary.isEmpty { body += "<p>\(Markup.escape(entry.summary))</p>\n" }
            if !entry.headline.isEmpty { body += HTMLPage.metricsTable(entry.headline) }
            body += "</section>\n"
        }
        if entries.isEmpty { body += "<p>No reports yet.</p>\n" }
        body += "<footer><span>Graft reports</span><span>\(entries.count) \(entries.count == 1 ? "report" : "reports")</span></footer>\n"
        return HTMLPage.document(title: title, body: body)
    }

    /// Writes the page to `url` atomically, creating the folder if needed.
    public func write(to url: URL) throws { try HTMLPage.write(html(), to: url) }
}
