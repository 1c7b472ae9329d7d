import Foundation

/// The page frame, style sheet and atomic file writing shared by reports and index pages.
enum HTMLPage {
    /// A complete HTML document: no scripts, no external style sheets, fonts or images.
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        \(css)</style>
        </head>
        <body>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    /// Writes `html` to `url` through a temporary file and a rename, so a reader never sees a
    /// half-written page; creates the folder if needed.
    static func write(_ html: String, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: url, options: .atomic)
        } catch {
            throw ReportError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// A metrics table: name, ours, paper, unit and the agreement verdict per row.
    static func metricsTable(_ metrics: [Metric]) -> String {
        var html = "<table class=\"metrics\">\n<thead><tr><th>Metric</th><th class=\"num\">Ours</th>"
            + "<th class=\"num\">Paper</th><th>Unit</th><th>Agreement</th></tr></thead>\n<tbody>\n"
        for m in metrics {
            let paper = m.paper.map { m.format($0) } ?? "—"
            html += "<tr class=\"\(m.rowClass)\"><td>\(Markup.escape(m.name))</td>"
                + "<td class=\"num ours\">\(Markup.escape(m.format(m.ours)))</td>"
                + "<td class=\"num\">\(Markup.escape(paper))</td><td>\(Markup.escape(m.unit))</td>"
                + "<td class=\"agree\">\(Markup.escape(m.verdict))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// Whether a table cell reads as a number (right-aligned in tables).
    static func isNumeric(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return false }
        let stripped = t.hasSuffix("%") ? String(t.dropLast()) : t
        return Double(stripped) != nil
    }

    /// The style sheet: system fonts, a 960-pixel column, quiet tables.
    static let css = """
    *{box-sizing:border-box}
    html{background:#f4f5f7}
    body{margin:0;color:#1f2328;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
    main{max-width:960px;margin:0 auto;padding:32px 32px 24px;background:#fff;min-height:100vh;box-shadow:0 0 0 1px #e5e7ea}
    h1{font-size:1.7rem;line-height:1.25;margin:0 0 .35rem}
    h2{font-size:1.2rem;line-height:1.3;margin:2rem 0 .7rem;padding-bottom:.3rem;border-bottom:1px solid #e3e5e8}
    h3{font-size:1rem;margin:1.2rem 0 .4rem}
    p{margin:.6rem 0}
    .summary{color:#4a5058;font-size:1.05rem;margin:0 0 1.2rem}
    table{border-collapse:collapse;width:100%;margin:.6rem 0 1.1rem;font-size:.93rem}
    th,td{padding:.42rem .7rem;border-bottom:1px solid #e6e8eb;text-align:left;vertical-align:top}
    thead th{border-bottom:2px solid #c8ccd1;background:#f8f9fa;font-weight:600}
    tbody tr:nth-child(even){background:#fbfbfc}
    .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td.agree{white-space:nowrap;font-weight:600;font-size:.88rem}
    tr.ok td.ours,tr.ok td.agree{background:#e0f3ec;color:#00573f}
    tr.off td.ours,tr.off td.agree{background:#fdebd9;color:#8f3d00}
    tr.none td.agree,tr.missing td.agree{color:#6a7078}
    table.data{width:auto;min-width:50%}
    table.kv th,table.kv td{vertical-align:baseline}
    table.kv th{width:34%;font-weight:500;color:#3d434a}
    table.kv td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86rem;overflow-wrap:anywhere}
    .caption{color:#4a5058;font-size:.9rem;margin:.2rem 0 .2rem}
    figure{margin:1.3rem 0}
    figure svg{display:block;max-width:100%;height:auto;margin:0 auto}
    figcaption{color:#4a5058;font-size:.9rem;margin-top:.45rem;text-align:center}
    footer{margin-top:2.5rem;padding-top:.7rem;border-top:1px solid #e3e5e8;color:#5f6670;font-size:.85rem}
    footer span+span::before{content:" · "}
    .card{border:1px solid #e3e5e8;border-radius:6px;padding:.3rem 1rem .4rem;margin:1rem 0}
    .card h2{border:0;margin:.6rem 0 .2rem}
    a{color:#0062a3}
    @media print{html{background:#fff}main{box-shadow:none;padding:0}}

    """
}
