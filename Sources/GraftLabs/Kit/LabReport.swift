import Foundation
import Graft
import GraftReport

/// Turns a finished run into its self-contained report.html: the claim, the headline numbers
/// against the paper's, the figures, the notes and how the run was made.
enum LabReport {
    /// The report of `lab`'s run recorded in `context`.
    static func make(lab: any Lab, context: LabContext, seconds: Double) throws -> Report {
        // A quick run is too small to be judged against the paper: its numbers are shown alone.
        let quick = context.options.quick
        let headline = context.record.metrics.map { m in
            GraftReport.Metric(m.name, ours: m.value, paper: quick ? nil : m.paper, unit: m.unit,
                               tolerance: m.tolerance.map { .absolute($0) } ?? .relative(0.02))
        }
        var results = Report.Section("Results")
        let compared = context.record.metrics.compactMap { m in m.paper.map { String(format: "%@ %g%@", m.name, $0, m.unit) } }
        if quick && !compared.isEmpty {
            results.paragraph("Quick run (small data, few steps): its numbers are not compared with the paper's (" + compared.joined(separator: ", ")
                              + "); run the lab without --quick for that.")
        }
        for text in context.notes { results.paragraph(text) }
        // Notes of metrics with a paper value say where that value comes from; the others
        // explain the measurement itself (a spread, a sample size), so they are listed apart.
        let sources = context.record.metrics.compactMap { m in m.paper == nil ? nil : m.note.map { "\(m.name): \($0)" } }
        if !sources.isEmpty { results.paragraph("The paper's numbers: " + sources.joined(separator: "; ") + ".") }
        let details = context.record.metrics.compactMap { m in m.paper != nil ? nil : m.note.map { "\(m.name): \($0)" } }
        if !details.isEmpty { results.paragraph("About the numbers: " + details.joined(separator: "; ") + ".") }
        var figures = Report.Section("Figures")
        for figure in context.figures {
            switch figure {
            case .curve(let handle, let caption, let logY):
                chart(handle.name, caption: caption, logY: logY, record: context.record, into: &figures)
            case .bars(let title, let labels, let series, let unit, let caption):
                let groups = series.map { BarChart.Group($0.name, values: $0.values.map { Optional($0) }) }
                figures.figure(BarChart(title: title, yLabel: unit, categories: labels, groups: groups), caption: caption)
            case .scatter(let title, let points, let classNames, let caption):
                figures.figure(ScatterPlot(title: title, classNames: classNames,
                                           points: points.map { .init(x: $0.x, y: $0.y, classIndex: $0.label) }), caption: caption)
            case .images(let title, let images, let columns, let captions, let caption):
                let grid = try ImageGrid(batch: images, columns: columns, title: title)
                let labels = captions.isEmpty ? "" : " Row by row: " + captions.joined(separator: ", ") + "."
                figures.figure(grid, caption: caption + labels)
            case .table(let header, let rows, let caption):
                figures.table(header: header, rows: rows, caption: caption)
            }
        }
        var run = Report.Section("How this run was made")
        let o = context.options
        run.keyValues([Report.KeyValue("lab", lab.name), Report.KeyValue("size", o.size.rawValue),
                       Report.KeyValue("seed", String(o.seed)), Report.KeyValue("threads", String(o.threads)),
                       Report.KeyValue("data", lab.datasets.joined(separator: ", ")),
                       Report.KeyValue("command", "graft lab \(lab.name) --size \(o.size) --seed \(o.seed) --threads \(o.threads)")])
        return Report(title: lab.title, summary: lab.claim, headline: headline,
                      sections: [results, figures, run].filter { !$0.blocks.isEmpty },
                      footer: Report.Footer(seed: o.seed, threads: o.threads, codeVersion: "graft \(LabRunner.version)", wallTime: seconds))
    }

    /// The curve `name` of `record` as a line chart in `figures`; a curve that a short run
    /// (a quick size) never reached is named in a line of text instead.
    private static func chart(_ name: String, caption: String, logY: Bool, record: RunRecord, into figures: inout Report.Section) {
        guard let curve = record.curves.first(where: { $0.name == name }) else {
            figures.paragraph("\(name): no points were logged in this run.")
            return
        }
        let series = curve.order.map { key in
            LineChart.Series(key.isEmpty ? curve.name : key, points: (curve.series[key] ?? []).map { .init(x: $0[0], y: $0[1]) })
        }
        let chart = LineChart(title: curve.name, xLabel: curve.xLabel, yLabel: curve.yLabel, series: series, logY: logY)
        figures.figure(chart, caption: caption)
    }
}
