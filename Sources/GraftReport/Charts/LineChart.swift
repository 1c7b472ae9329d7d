/// Named series of (x, y) points drawn as lines, e.g. loss or accuracy per epoch.
///
/// Non-finite values (and values that are not positive on a log axis) break a line rather
/// than bend it to the axis; a point left alone by such breaks is drawn as a dot.
public struct LineChart: Chart, Equatable {
    /// One (x, y) point.
    public struct Point: Equatable, Sendable {
        /// The x value.
        public var x: Double
        /// The y value; NaN or infinity leaves a gap.
        public var y: Double

        /// A point.
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// One named line.
    public struct Series: Equatable, Sendable {
        /// The legend entry.
        public var name: String
        /// The points in drawing order.
        public var points: [Point]

        /// A series from explicit points.
        public init(_ name: String, points: [Point]) {
            self.name = name
            self.points = points
        }

        /// A series from matching x and y arrays (extra values of the longer one are ignored).
        public init<T: BinaryFloatingPoint>(_ name: String, x: [T], y: [T]) {
            self.init(name, points: zip(x, y).map { Point(x: Double($0), y: Double($1)) })
        }

        /// A series of y values at x = `start`, `start + step`, ... (e.g. epochs 1, 2, 3).
        public init<T: BinaryFloatingPoint>(_ name: String, y: [T], start: Double = 0, step: Double = 1) {
            self.init(name, points: y.enumerated().map { Point(x: start + Double($0.offset) * step, y: Double($0.element)) })
        }
    }

    /// Bold text above the plot (may be empty; reports put captions under figures instead).
    public var title: String
    /// The x axis label.
    public var xLabel: String
    /// The y axis label.
    public var yLabel: String
    /// The lines, coloured in palette order.
    public var series: [Series]
    /// Horizontal lines at fixed values, e.g. a paper's number.
    public var references: [ReferenceLine]
    /// Whether the y axis is logarithmic.
    public var logY: Bool
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Draw point markers when no series has more points than this.
    public var markerLimit: Int

    /// A line chart.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [Series] = [],
                references: [ReferenceLine] = [], logY: Bool = false, width: Int = 720, height: Int = 360,
                markerLimit: Int = 40) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.references = references
        self.logY = logY
        self.width = width
        self.height = height
        self.markerLimit = markerLimit
    }

    /// Whether a y value can be drawn on this chart's axis.
    func drawable(_ y: Double) -> Bool { y.isFinite && (!logY || y > 0) }

    /// The axes: nice ticks covering every drawable point and reference line.
    func ticks() -> (x: AxisTicks, y: AxisTicks) {
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for p in s.points where p.x.isFinite && drawable(p.y) {
                xs.append(p.x)
                ys.append(p.y)
            }
        }
        for r in references where drawable(r.value) { ys.append(r.value) }
        let x = xs.isEmpty ? AxisTicks.linear(min: 0, max: 1) : AxisTicks.linear(min: xs.min()!, max: xs.max()!, target: 6)
        let y: AxisTicks
        if logY { y = ys.isEmpty ? AxisTicks.log(min: 1, max: 10) : AxisTicks.log(min: ys.min()!, max: ys.max()!) }
        else { y = ys.isEmpty ? AxisTicks.linear(min: 0, max: 1) : AxisTicks.linear(min: ys.min()!, max: ys.max()!) }
        return (x, y)
    }

    /// Runs of consecutive drawable points: the pieces a series is drawn as.
    func segments(_ s: Series) -> [[Point]] {
        var runs: [[Point]] = [], current: [Point] = []
        for p in s.points {
            if p.x.isFinite && drawable(p.y) { current.append(p) }
            else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The chart as an inline `<svg>` element.
    public func svg() -> String {
        let (xTicks, yTicks) = ticks()
        let items = series.enumerated().map { (name: $0.element.name, color: Palette.color($0.offset), swatch: Swatch.line) }
        let layout = PlotLayout(width: Double(width), height: Double(height), title: title, legendItems: items,
                                yTickLabels: yTicks.labels, xLabel: xLabel, yLabel: yLabel,
                                lastXTickLabel: xTicks.labels.last ?? "")
        var canvas = SVGCanvas(width: Double(width), height: Double(height))
        layout.drawFrame(into: &canvas, title: title, yTicks: yTicks, yLabel: yLabel, xLabel: xLabel)
        layout.drawXTicks(into: &canvas, ticks: xTicks)
        let n = SVGCanvas.n
        let markers = series.allSatisfy { $0.points.count <= markerLimit }
        var anyPoint = false
        for (index, s) in series.enumerated() {
            let color = Palette.color(index)
            var d = "", dots = ""
            for run in segments(s) {
                anyPoint = true
                let pixels = run.map { (layout.x(xTicks.fraction($0.x)!), layout.y(yTicks.fraction($0.y)!)) }
                if pixels.count == 1 || markers {
                    for (px, py) in pixels { dots += "<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"\(pixels.count == 1 ? "3" : "2.5")\"/>" }
                }
                guard pixels.count > 1 else { continue }
                d += "M" + pixels.map { "\(n($0.0)) \(n($0.1))" }.joined(separator: "L")
            }
            if !d.isEmpty {
                canvas.raw("<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" "
                           + "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>")
            }
            if !dots.isEmpty { canvas.raw("<g fill=\"\(color)\">\(dots)</g>") }
        }
        layout.drawReferences(into: &canvas, references, yTicks: yTicks)
        if !anyPoint {
            canvas.text("no data", x: (layout.left + layout.right) / 2, y: (layout.top + layout.bottom) / 2,
                        anchor: "middle", size: 13, fill: Palette.mutedText)
        }
        return canvas.render(title: title.isEmpty ? "Line chart" + (yLabel.isEmpty ? "" : " of \(yLabel)") : title)
    }
}
