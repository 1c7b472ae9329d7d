import Graft

/// Points coloured and shaped by class, e.g. a 2-D embedding (t-SNE, PCA) of source and
/// target features. Points with a non-finite coordinate are left out.
public struct ScatterPlot: Chart, Equatable {
    /// One point and its class.
    public struct Point: Equatable, Sendable {
        /// The x value.
        public var x: Double
        /// The y value.
        public var y: Double
        /// The class index into `classNames` (also picks colour and marker shape).
        public var classIndex: Int

        /// A point of class `classIndex`.
        public init(x: Double, y: Double, classIndex: Int) {
            self.x = x
            self.y = y
            self.classIndex = classIndex
        }
    }

    /// Bold text above the plot (may be empty).
    public var title: String
    /// The x axis label.
    public var xLabel: String
    /// The y axis label.
    public var yLabel: String
    /// Legend names of the classes; classes past the end are called "class K".
    public var classNames: [String]
    /// The points, drawn class by class in class order.
    public var points: [Point]
    /// Marker radius in pixels.
    public var radius: Double
    /// Marker opacity, so dense regions show through.
    public var opacity: Double
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// A scatter plot.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", classNames: [String] = [],
                points: [Point], radius: Double = 3.5, opacity: Double = 0.75, width: Int = 560, height: Int = 480) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.classNames = classNames
        self.points = points
        self.radius = radius
        self.opacity = opacity
        self.width = width
        self.height = height
    }

    /// A scatter plot of the two columns of an [N, 2] tensor with one class index per row
    /// (an [N] tensor of whole numbers).
    public init(title: String = "", xLabel: String = "", yLabel: String = "", classNames: [String] = [],
                coordinates: Tensor, classes: Tensor, width: Int = 560, height: Int = 480) throws {
        guard coordinates.rank == 2, coordinates.shape[1] == 2 else {
            throw ReportError("scatter plot coordinates have shape \(coordinates.shape); expected [N, 2]")
        }
        guard classes.count == coordinates.shape[0] else {
            throw ReportError("scatter plot has \(coordinates.shape[0]) points but \(classes.count) class labels")
        }
        let xy = coordinates.scalars, labels = classes.scalars
        var points: [Point] = []
        for i in 0..<labels.count {
            let label = labels[i]
            guard label.isFinite, label >= 0, label < 1e6 else {
                throw ReportError("scatter plot class label \(label) at row \(i) is not a whole number from 0")
            }
            points.append(Point(x: Double(xy[2 * i]), y: Double(xy[2 * i + 1]), classIndex: Int(label)))
        }
        self.init(title: title, xLabel: xLabel, yLabel: yLabel, classNames: classNames, points: points,
                  width: width, height: height)
    }

    /// The classes present, ascending.
    func classes() -> [Int] { Array(Set(points.map(\.classIndex))).sorted() }

    /// The legend name of a class.
    func name(_ k: Int) -> String { k >= 0 && k < classNames.count ? classNames[k] : "class \(k)" }

    /// The chart as an inline `<svg>` element.
    public func svg() -> String {
        let shown = points.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = shown.map(\.x), ys = shown.map(\.y)
        let xTicks = AxisTicks.linear(min: xs.min() ?? 0, max: xs.max() ?? 1, target: 6)
        let yTicks = AxisTicks.linear(min: ys.min() ?? 0, max: ys.max() ?? 1)
        let classes = classes()
        let items = classes.map { (name: name($0), color: Palette.color($0), swatch: Swatch.marker($0)) }
        let layout = PlotLayout(width: Double(width), height: Double(height), title: title, legendItems: items,
                                yTickLabels: yTicks.labels, xLabel: xLabel, yLabel: yLabel,
                                lastXTickLabel: xTicks.labels.last ?? "")
        var canvas = SVGCanvas(width: Double(width), height: Double(height))
        layout.drawFrame(into: &canvas, title: title, yTicks: yTicks, yLabel: yLabel, xLabel: xLabel)
        layout.drawXTicks(into: &canvas, ticks: xTicks)
        for k in classes {
            var shapes = ""
            for p in shown where p.classIndex == k {
                shapes += Marker.shape(k, x: layout.x(xTicks.fraction(p.x)!), y: layout.y(yTicks.fraction(p.y)!), r: radius)
            }
            canvas.raw("<g fill=\"\(Palette.color(k))\" fill-opacity=\"\(SVGCanvas.n(opacity))\">\(shapes)</g>")
        }
        if shown.isEmpty {
            canvas.text("no data", x: (layout.left + layout.right) / 2, y: (layout.top + layout.bottom) / 2,
                        anchor: "middle", size: 13, fill: Palette.mutedText)
        }
        return canvas.render(title: title.isEmpty ? "Scatter plot" : title)
    }
}
