/// A figure that renders itself as SVG.
public protocol Chart: Sendable {
    /// The chart as an `<svg>` element for use inside HTML: no namespace declaration, no
    /// scripts, no external references. The same chart always gives the same text.
    func svg() -> String
}

extension Chart {
    /// The chart as a stand-alone SVG document (with the SVG namespace), for a `.svg` file.
    public func standaloneSVG() -> String {
        let inline = svg()
        guard inline.hasPrefix("<svg ") else { return inline }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
            + inline.dropFirst(5) + "\n"
    }
}

/// Accumulates SVG elements; numbers are written locale-free with two decimals at most.
struct SVGCanvas {
    /// Width in pixels.
    let width: Double
    /// Height in pixels.
    let height: Double
    /// The elements so far.
    private(set) var body = ""

    /// The font used for all chart text.
    static let fontFamily = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A number as an attribute value.
    static func n(_ v: Double) -> String { NumberFormat.coordinate(v) }

    /// Rough width of `text` at `size` pixels, for layout (no font metrics are available).
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.58 }

    /// Appends raw markup (already escaped).
    mutating func raw(_ markup: String) { body += markup; body += "\n" }

    /// A straight line.
    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil) {
        let n = SVGCanvas.n
        raw("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    /// A rectangle.
    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil) {
        let n = SVGCanvas.n
        raw("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
            + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>")
    }

    /// Text (escaped here) anchored at `x` ("start", "middle" or "end"), baseline at `y`,
    /// optionally rotated by `rotate` degrees about its anchor; `halo` draws a white outline
    /// under it so it stays legible over lines.
    mutating func text(_ text: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
                       weight: String? = nil, fill: String = "#222222", rotate: Double? = nil, halo: Bool = false) {
        let n = SVGCanvas.n
        var attrs = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
        if anchor != "start" { attrs += " text-anchor=\"\(anchor)\"" }
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        if let rotate { attrs += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        if halo { attrs += " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" }
        raw("<text \(attrs)>\(Markup.escape(text))</text>")
    }

    /// The finished `<svg>` element; `title` becomes its accessible name.
    func render(title: String) -> String {
        let n = SVGCanvas.n
        let label = Markup.escape(title)
        return "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\""
            + (label.isEmpty ? "" : " aria-label=\"\(label)\"")
            + " font-family=\"\(SVGCanvas.fontFamily)\">\n"
            + (label.isEmpty ? "" : "<title>\(label)</title>\n")
            + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
            + body + "</svg>"
    }
}
