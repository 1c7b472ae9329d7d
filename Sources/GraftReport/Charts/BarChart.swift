/// Grouped bars: for each category (e.g. a method) one bar per group (e.g. ours and the
/// paper's), each labelled with its value.
public struct BarChart: Chart, Equatable {
    /// One group of bars, coloured alike across categories.
    public struct Group: Equatable, Sendable {
        /// The legend entry, e.g. "ours".
        public var name: String
        /// One value per category; nil or NaN for none (drawn as "n/a").
        public var values: [Double?]

        /// A group with one value per category.
        public init(_ name: String, values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    /// Bold text above the plot (may be empty).
    public var title: String
    /// The y axis label.
    public var yLabel: String
    /// The category names along the x axis.
    public var categories: [String]
    /// The groups, coloured in palette order.
    public var groups: [Group]
    /// Horizontal lines at fixed values, e.g. chance level.
    public var references: [ReferenceLine]
    /// Digits after the point in value labels; nil for three significant digits.
    public var valueDecimals: Int?
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// A grouped bar chart.
    public init(title: String = "", yLabel: String = "", categories: [String], groups: [Group],
                references: [ReferenceLine] = [], valueDecimals: Int? = nil, width: Int = 720, height: Int = 360) {
        self.title = title
        self.yLabel = yLabel
        self.categories = categories
        self.groups = groups
        self.references = references
        self.valueDecimals = valueDecimals
        self.width = width
        self.height = height
    }

    /// The drawable value of group `g` in category `c`, if any.
    func value(_ g: Int, _ c: Int) -> Double? {
        let values = groups[g].values
        guard c < values.count, let v = values[c], v.isFinite else { return nil }
        return v
    }

    /// A value label.
    func label(_ v: Double) -> String {
        valueDecimals.map { NumberFormat.fixed(v, decimals: $0) } ?? NumberFormat.short(v, significant: 3)
    }

    /// The y axis: nice ticks covering zero, every value and every reference line.
    func yTicks() -> AxisTicks {
        var lo = 0.0, hi = 0.0
        for g in groups.indices { for c in categories.indices { if let v = value(g, c) { lo = min(lo, v); hi = max(hi, v) } } }
        for r in references where r.value.isFinite { lo = min(lo, r.value); hi = max(hi, r.value) }
        return AxisTicks.linear(min: lo, max: hi == lo ? lo + 1 : hi)
    }

    /// The chart as an inline `<svg>` element.
    public func svg() -> String {
        let ticks = yTicks()
        let items = groups.enumerated().map { (name: $0.element.name, color: Palette.color($0.offset), swatch: Swatch.box) }
        // Category labels: horizontal when they fit their slot, else slanted.
        let roughPlotWidth = Double(width) - 90
        let slot = roughPlotWidth / Double(max(1, categories.count))
        let widest = categories.map { SVGCanvas.textWidth($0, size: 12) }.max() ?? 0
        let slanted = widest > slot * 0.95
        let extraBottom = slanted ? min(widest * 0.5, Double(height) * 0.3) : 0
        let layout = PlotLayout(width: Double(width), height: Double(height), title: title, legendItems: items,
                                yTickLabels: ticks.labels, xLabel: "", yLabel: yLabel, extraBottom: extraBottom, extraTop: 12)
        var canvas = SVGCanvas(width: Double(width), height: Double(height))
        layout.drawFrame(into: &canvas, title: title, yTicks: ticks, yLabel: yLabel, xLabel: "")
        let zero = layout.y(ticks.fraction(0)!)
        let slotWidth = layout.width / Double(max(1, categories.count))
        let barWidth = slotWidth * 0.8 / Double(max(1, groups.count))
        let labelSize = min(11, max(7, barWidth / (0.58 * 5)))
        for (c, category) in categories.enumerated() {
            let slotLeft = layout.left + Double(c) * slotWidth
            let center = slotLeft + slotWidth / 2
            if slanted {
                canvas.text(category, x: center, y: layout.bottom + 14, anchor: "end", size: 12, rotate: -30)
            } else {
                canvas.text(category, x: center, y: layout.bottom + 17, anchor: "middle", size: 12)
            }
            for g in groups.indices {
                let x = slotLeft + slotWidth * 0.1 + Double(g) * barWidth
                let mid = x + barWidth / 2
                guard let v = value(g, c) else {
                    canvas.text("n/a", x: mid, y: zero - 4, anchor: "middle", size: labelSize, fill: Palette.mutedText)
                    continue
                }
                let top = layout.y(ticks.fraction(v)!)
                canvas.rect(x + 1, min(top, zero), barWidth - 2, abs(zero - top), fill: Palette.color(g))
                let labelY = v >= 0 ? top - 4 : top + labelSize + 2
                canvas.text(label(v), x: mid, y: labelY, anchor: "middle", size: labelSize, halo: true)
            }
        }
        canvas.line(layout.left, zero, layout.right, zero, stroke: Palette.axis)
        layout.drawReferences(into: &canvas, references, yTicks: ticks)
        return canvas.render(title: title.isEmpty ? "Bar chart" + (yLabel.isEmpty ? "" : " of \(yLabel)") : title)
    }
}
