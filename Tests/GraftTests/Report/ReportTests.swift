import Foundation
import Testing
@testable import Graft
@testable import GraftReport

@Suite struct ReportTests {
    /// A unique empty folder for one test.
    func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func smallReport(title: String = "DANN <MNIST → MNIST-M>") -> Report {
        var report = Report(title: title, summary: "Target accuracy 73.1% after 30 epochs & 2 threads.",
                            headline: [Metric("target accuracy", ours: 73.12, paper: 73.85, unit: "%", tolerance: .absolute(1)),
                                       Metric("source accuracy", ours: 99.1, paper: 96.0, unit: "%", tolerance: .relative(0.01)),
                                       Metric("domain loss", ours: 0.69)],
                            footer: Report.Footer(seed: 42, threads: 2, codeVersion: "c65baa6", wallTime: 754.2))
        var training = Report.Section("Training")
        training.paragraph("Loss fell <quickly> & steadily.")
        training.figure(LineChart(xLabel: "epoch", yLabel: "loss", series: [.init("train", y: [1.0, 0.5, 0.25], start: 1)]),
                        caption: "Training loss.")
        training.figure(BarChart(categories: ["DANN"], groups: [.init("ours", values: [0.73])]), caption: "")
        report.add(training)
        var config = Report.Section("Configuration")
        config.keyValues(["learning rate": "0.01", "batch": "128", "optimizer": "SGD \"momentum\" 0.9"])
        config.table(header: ["class", "accuracy"], rows: [["0", "0.98"], ["1", "97.5%"], ["two"]], caption: "Per class")
        config.metrics([Metric("extra", ours: .nan, paper: 1)], caption: "Not measured yet")
        report.add(config)
        return report
    }

    @Test func htmlHasTheSectionsTablesAndFootersAndNoExternalReferences() {
        let html = smallReport().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>DANN &lt;MNIST → MNIST-M&gt;</title>") && html.contains("<h1>DANN &lt;MNIST → MNIST-M&gt;</h1>"))
        #expect(html.contains("<h2>Headline results</h2>") && html.contains("<h2>Training</h2>") && html.contains("<h2>Configuration</h2>"))
        #expect(html.contains("<p>Loss fell &lt;quickly&gt; &amp; steadily.</p>"))
        // Headline table: within tolerance, above it, no paper number.
        #expect(html.contains("<tr class=\"ok\"><td>target accuracy</td><td class=\"num ours\">73.12</td><td class=\"num\">73.85</td>"
                              + "<td>%</td><td class=\"agree\">✓ within ±1</td></tr>"))
        #expect(html.contains("<tr class=\"off\"><td>source accuracy</td>") && html.contains("▲ +3.1 above"))
        #expect(html.contains("<tr class=\"none\"><td>domain loss</td>"))
        #expect(html.contains("<tr class=\"missing\"><td>extra</td>") && html.contains("not measured"))
        // Figures are inline SVG, numbered in order.
        #expect(html.components(separatedBy: "<svg ").count == 3)
        #expect(html.contains("<figcaption>Figure 1. Training loss.</figcaption>") && html.contains("<figcaption>Figure 2.</figcaption>"))
        // Key-value and plain tables.
        #expect(html.contains("<tr><th scope=\"row\">optimizer</th><td>SGD &quot;momentum&quot; 0.9</td></tr>"))
        #expect(html.contains("<thead><tr><th>class</th><th class=\"num\">accuracy</th></tr></thead>")
                && html.contains("<tr><td>1</td><td class=\"num\">97.5%</td></tr>") && html.contains("<tr><td>two</td><td class=\"num\"></td></tr>"))
        #expect(html.contains("<p class=\"caption\">Per class</p>"))
        // Footer.
        for part in ["seed 42", "2 threads", "code c65baa6", "wall time 12 min 34 s"] { #expect(html.contains("<span>\(part)</span>")) }
        // Self-contained: no network references, no scripts.
        #expect(!html.contains("http") && !html.contains("<script") && !html.contains("src=\"") && !html.contains("@import"))
        #expect(html == smallReport().html())
    }

    @Test func metricsCompareWithThePaper() {
        #expect(Metric("a", ours: 0.72, paper: 0.73, tolerance: .absolute(0.01)).agreement == .within)
        #expect(Metric("a", ours: 0.70, paper: 0.73, tolerance: .absolute(0.01)).agreement == .below)
        #expect(Metric("a", ours: 0.70, paper: 0.73, tolerance: .absolute(0.01)).verdict == "▼ −0.03 below")
        #expect(Metric("a", ours: 105, paper: 100, tolerance: .relative(0.05)).agreement == .within)
        #expect(Metric("a", ours: 106, paper: 100, tolerance: .relative(0.05)).agreement == .above)
        #expect(Metric("a", ours: 1, paper: nil).agreement == .noPaper)
        #expect(Metric("a", ours: .nan, paper: 1).agreement == .missing)
        #expect(Metric("a", ours: 0.5, paper: 0.5).agreement == .within)
        #expect(Metric("a", ours: 0.123456, decimals: 2).format(0.123456) == "0.12")
        #expect(Report.Footer.duration(3.14159) == "3.14 s" && Report.Footer.duration(7322) == "2 h 02 min")
    }

    @Test func writeIsAtomicAndCreatesTheFolder() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("runs/dann/report.html")
        try smallReport(title: "first").write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8).contains("<h1>first</h1>"))
        let second = smallReport(title: "second")
        try second.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == second.html())
        // Replaced through a rename: no temporary files are left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["report.html"])
        // A folder that cannot be made is an error naming the file.
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        do {
            try second.write(to: blocker.appendingPathComponent("report.html"))
            Issue.record("writing under a regular file was accepted")
        } catch {
            #expect("\(error)".contains(blocker.appendingPathComponent("report.html").path))
        }
    }

    @Test func indexPageLinksReportsWithTheirHeadlines() throws {
        var index = IndexPage(title: "Graft demo", summary: "Every lab run.")
        index.add(smallReport(), href: "dann/report.html")
        index.add(Report(title: "Empty & plain"), href: "a \"b\".html")
        let html = index.html()
        #expect(html.contains("<h2><a href=\"dann/report.html\">DANN &lt;MNIST → MNIST-M&gt;</a></h2>"))
        #expect(html.contains("<a href=\"a &quot;b&quot;.html\">Empty &amp; plain</a>"))
        #expect(html.contains("Every lab run. 1 of 2 headline numbers within tolerance of the paper."))
        #expect(html.contains("<td>target accuracy</td>") && html.contains("<span>2 reports</span>"))
        #expect(!html.contains("http") && !html.contains("<script"))
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try index.write(to: folder.appendingPathComponent("index.html"))
        #expect(try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8) == html)
    }
}
