import Foundation

/// A horizontal line across a chart at a fixed value, labelled at its right end, e.g. the
/// paper's number.
public struct ReferenceLine: Equatable, Sendable {
    /// The text drawn above the line's right end, e.g. "paper: 0.73".
    public var label: String
    /// The y value.
    public var value: Double
    /// The palette colour to draw it in (matching a series), or nil for grey.
    public var colorIndex: Int?

    /// A reference line at `value`.
    public init(_ label: String, value: Double, colorIndex: Int? = nil) {
        self.label = label
        self.value = value
        self.colorIndex = colorIndex
    }

    /// The stroke colour.
    var color: String { colorIndex.map(Palette.color) ?? Palette.axis }
}

/// How a legend entry shows its series.
enum Swatch {
    case line
    case box
    case marker(Int)
}

/// Legend entries flowed left to right into as many rows as needed.
struct Legend {
    /// Height of one row.
    static let rowHeight = 18.0
    let items: [(name: String, color: String, swatch: Swatch)]
    /// Each item's x offset and row.
    let places: [(x: Double, row: Int)]
    /// Rows used (0 when there are no items).
    let rows: Int

    init(_ items: [(name: String, color: String, swatch: Swatch)], maxWidth: Double) {
        self.items = items
        var places: [(x: Double, row: Int)] = []
        var x = 0.0, row = 0
        for item in items {
            let w = 24 + SVGCanvas.textWidth(item.name, size: 12) + 14
            if x > 0 && x + w > maxWidth { x = 0; row += 1 }
            places.append((x, row))
            x += w
        }
        self.places = places
        self.rows = items.isEmpty ? 0 : row + 1
    }

    /// Vertical space the legend takes, with a gap below.
    var height: Double { rows == 0 ? 0 : Double(rows) * Legend.rowHeight + 6 }

    func draw(into canvas: inout SVGCanvas, left: Double, top: Double) {
        for (item, place) in zip(items, places) {
            let x = left + place.x, mid = top + Double(place.row) * Legend.rowHeight + 9
            switch item.swatch {
            case .line: canvas.line(x, mid, x + 18, mid, stroke: item.color, width: 2.5)
            case .box: canvas.rect(x + 3, mid - 6, 12, 12, fill: item.color)
            case .marker(let kind): canvas.raw("<g fill=\"\(item.color)\">" + Marker.shape(kind, x: x + 9, y: mid, r: 4.5) + "</g>")
            }
            canvas.text(item.name, x: x + 24, y: mid + 4, size: 12)
        }
    }
}

/// Filled point markers whose shapes differ by class, so classes stay apart without colour.
enum Marker {
    /// Number of distinct shapes.
    static let kinds = 5

    /// Marker `kind` (cycling through circle, square, triangle, diamond, inverted triangle)
    /// centred on (x, y) with radius about `r`; the fill comes from the enclosing group.
    static func shape(_ kind: Int, x: Double, y: Double, r: Double) -> String {
        let n = SVGCanvas.n
        switch ((kind % kinds) + kinds) % kinds {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\"/>"
        case 1:
            let s = r * 0.9
            return "<rect x=\"\(n(x - s))\" y=\"\(n(y - s))\" width=\"\(n(2 * s))\" height=\"\(n(2 * s))\"/>"
        case 2: return "<path d=\"M\(n(x)) \(n(y - r * 1.15))L\(n(x + r)) \(n(y + r * 0.75))L\(n(x - r)) \(n(y + r * 0.75))Z\"/>"
        case 3: return "<path d=\"M\(n(x)) \(n(y - r * 1.2))L\(n(x + r)) \(n(y))L\(n(x)) \(n(y + r * 1.2))L\(n(x - r)) \(n(y))Z\"/>"
        default: return "<path d=\"M\(n(x)) \(n(y + r * 1.15))L\(n(x + r)) \(n(y - r * 0.75))L\(n(x - r)) \(n(y - r * 0.75))Z\"/>"
        }
    }
}

/// Where the plotting rectangle of an x-y chart goes, leaving room for the title, the
/// legend, tick labels and axis labels.
struct PlotLayout {
    let left: Double, top: Double, right: Double, bottom: Double
    let legend: Legend
    let legendTop: Double

    var width: Double { right - left }
    var height: Double { bottom - top }

    init(width: Double, height: Double, title: String, legendItems: [(name: String, color: String, swatch: Swatch)],
         yTickLabels: [String], xLabel: String, yLabel: String, lastXTickLabel: String = "", extraBottom: Double = 0,
         extraTop: Double = 0) {
        let widest = yTickLabels.map { SVGCanvas.textWidth($0, size: 11) }.max() ?? 0
        left = 12 + (yLabel.isEmpty ? 0 : 20) + widest + 8
        right = width - max(16, SVGCanvas.textWidth(lastXTickLabel, size: 11) / 2 + 6)
        legendTop = title.isEmpty ? 8 : 30
        legend = Legend(legendItems, maxWidth: right - left)
        top = legendTop + legend.height + 10 + extraTop
        bottom = height - (22 + (xLabel.isEmpty ? 0 : 20) + 8) - extraBottom
    }

    /// The pixel x of a fraction of the x axis.
    func x(_ fraction: Double) -> Double { left + fraction * width }
    /// The pixel y of a fraction of the y axis (0 at the bottom).
    func y(_ fraction: Double) -> Double { bottom - fraction * height }

    /// Title, legend, y grid lines and tick labels, y axis label.
    func drawFrame(into canvas: inout SVGCanvas, title: String, yTicks: AxisTicks, yLabel: String, xLabel: String) {
        if !title.isEmpty { canvas.text(title, x: left, y: 20, size: 14, weight: "600") }
        legend.draw(into: &canvas, left: left, top: legendTop)
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            guard let f = yTicks.fraction(value) else { continue }
            let py = y(f)
            canvas.line(left, py, right, py, stroke: Palette.grid)
            canvas.text(label, x: left - 6, y: py + 4, anchor: "end", size: 11, fill: Palette.mutedText)
        }
        canvas.line(left, top, left, bottom, stroke: Palette.axis)
        canvas.line(left, bottom, right, bottom, stroke: Palette.axis)
        if !yLabel.isEmpty {
            let cy = (top + bottom) / 2
            canvas.text(yLabel, x: 16, y: cy, anchor: "middle", size: 12, rotate: -90)
        }
        if !xLabel.isEmpty {
            canvas.text(xLabel, x: (left + right) / 2, y: bottom + 40, anchor: "middle", size: 12)
        }
    }

    /// X tick marks and labels along the bottom.
    func drawXTicks(into canvas: inout SVGCanvas, ticks: AxisTicks) {
        for (value, label) in zip(ticks.values, ticks.labels) {
            guard let f = ticks.fraction(value) else { continue }
            let px = x(f)
            canvas.line(px, bottom, px, bottom + 4, stroke: Palette.axis)
            canvas.text(label, x: px, y: bottom + 17, anchor: "middle", size: 11, fill: Palette.mutedText)
        }
    }

    /// Dashed horizontal reference lines with their labels at the right end.
    func drawReferences(into canvas: inout SVGCanvas, _ references: [ReferenceLine], yTicks: AxisTicks) {
        for ref in references {
            guard let f = yTicks.fraction(ref.value) else { continue }
            let py = y(f)
            canvas.line(left, py, right, py, stroke: ref.color, width: 1.5, dash: "6 4")
            canvas.text(ref.label, x: right - 4, y: py - 5, anchor: "end", size: 11, fill: ref.color, halo: true)
        }
    }
}
