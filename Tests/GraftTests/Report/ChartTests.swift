import Foundation
import Testing
@testable import Graft
@testable import GraftReport

@Suite struct ChartTests {
    /// A label with every character XML treats specially, and a control character.
    let nasty = "<b>loss & \"acc\" 'x'</b>\u{1}"
    let nastyEscaped = "&lt;b&gt;loss &amp; &quot;acc&quot; &#39;x&#39;&lt;/b&gt;"

    func charts() throws -> [any Chart] {
        let rng = RandomGenerator(seed: 7)
        let points = (0..<60).map { i in
            ScatterPlot.Point(x: Double(rng.nextNormal()) + Double(i % 2) * 3, y: Double(rng.nextNormal()), classIndex: i % 2)
        }
        return [
            LineChart(title: nasty, xLabel: nasty, yLabel: nasty,
                      series: [.init(nasty, y: [1.0, 0.5, .nan, 0.25, 0.2], start: 1), .init("b", x: [1.0, 2, 3], y: [0.3, 0.4, 0.5])],
                      references: [ReferenceLine(nasty, value: 0.73, colorIndex: 0)]),
            LineChart(series: [.init("loss", y: [10.0, 1, 0.1, 0, -1, 0.01])], logY: true),
            BarChart(title: nasty, yLabel: nasty, categories: [nasty, "DANN", "source only"],
                     groups: [.init("ours", values: [0.71, 0.8, nil]), .init(nasty, values: [0.73, -0.1, .nan])],
                     references: [ReferenceLine("chance", value: 0.1)]),
            ScatterPlot(title: nasty, xLabel: "PC 1", yLabel: "PC 2", classNames: ["source", nasty], points: points),
            try ImageGrid([PNGImage(width: 2, height: 2, channels: 1, pixels: [0, 80, 160, 255])], columns: 1,
                          title: nasty, columnCaptions: [nasty], rowCaptions: [nasty]),
        ]
    }

    @Test func svgIsWellFormedDeterministicAndEscaped() throws {
        let first = try charts().map { $0.svg() }
        let second = try charts().map { $0.svg() }
        #expect(first == second)
        for svg in first {
            #expect(WellFormed.problem(svg) == nil, "\(WellFormed.problem(svg) ?? "")")
            #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
            #expect(!svg.contains("http") && !svg.contains("<script"))
            #expect(!svg.contains("<b>") && !svg.contains("\u{1}"))
        }
        for svg in [first[0], first[2], first[3], first[4]] { #expect(svg.contains(nastyEscaped)) }
        let standalone = try charts()[0].standaloneSVG()
        #expect(standalone.contains("xmlns=\"http://www.w3.org/2000/svg\"") && WellFormed.problem(standalone) == nil)
    }

    @Test func theWellFormednessCheckCatchesBrokenMarkup() {
        for bad in ["<svg><a></svg>", "<svg><text>a & b</text></svg>", "<svg><g>", "<svg/><svg/>", "x<svg/>"] {
            #expect(WellFormed.problem(bad) != nil, "\(bad)")
            #expect(WellFormed.minimalProblem(bad) != nil, "\(bad)")
        }
    }

    /// The `d` attribute of the first `<path>` stroked in `color`.
    func path(_ svg: String, color: String) -> String? {
        guard let stroke = svg.range(of: "fill=\"none\" stroke=\"\(color)\"") else { return nil }
        let before = svg[..<stroke.lowerBound]
        guard let start = before.range(of: "d=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...].prefix { $0 != "\"" })
    }

    @Test func nonFiniteValuesBreakTheLine() throws {
        let chart = LineChart(series: [.init("s", y: [1.0, 2, .nan, 3, 4, .infinity, 5, 6])], markerLimit: 0)
        let d = try #require(path(chart.svg(), color: Palette.color(0)))
        #expect(d.filter { $0 == "M" }.count == 3 && d.filter { $0 == "L" }.count == 3)
        #expect(chart.segments(chart.series[0]).map(\.count) == [2, 2, 2])
        // A point alone between gaps is a dot, not dropped.
        let lonely = LineChart(series: [.init("s", y: [1.0, .nan, 2, .nan, 3, 4])], markerLimit: 0).svg()
        #expect(lonely.contains("r=\"3\""))
        // The axis ignores the non-finite values.
        let (_, y) = chart.ticks()
        #expect(y.lower == 1 && y.upper == 6)
        // On a log axis zero and negatives are gaps too.
        let log = LineChart(series: [.init("s", y: [1.0, 0.1, 0, 0.01, -5, 0.001])], logY: true, markerLimit: 0)
        #expect(log.segments(log.series[0]).map(\.count) == [2, 1, 1])
        #expect(log.ticks().y.lower == 0.001)
        // Nothing drawable: an empty frame that says so.
        let empty = LineChart(series: [.init("s", y: [Double.nan, .nan])]).svg()
        #expect(empty.contains("no data") && WellFormed.problem(empty) == nil)
    }

    @Test func referenceLinesAndBarsAreLabelled() throws {
        let chart = LineChart(series: [.init("acc", y: [0.5, 0.6, 0.7])], references: [ReferenceLine("paper: 0.73", value: 0.73)])
        #expect(chart.svg().contains(">paper: 0.73</text>") && chart.svg().contains("stroke-dasharray"))
        #expect(chart.ticks().y.upper >= 0.73)
        let bars = BarChart(categories: ["A", "B"], groups: [.init("ours", values: [0.712, nil]), .init("paper", values: [0.73, 0.8])]).svg()
        for label in [">0.712</text>", ">0.73</text>", ">0.8</text>", ">n/a</text>", ">ours</text>", ">paper</text>"] {
            #expect(bars.contains(label), "\(label)")
        }
        #expect(bars.components(separatedBy: "<rect x=").count - 1 == 3 + 2)   // three bars, two legend boxes
    }

    @Test func scatterShowsEachClassInTheLegendWithItsOwnShape() throws {
        let coordinates = Tensor([0, 0, 1, 1, 2, 0.5, .nan, 1], shape: [4, 2])
        let plot = try ScatterPlot(classNames: ["source", "target"], coordinates: coordinates, classes: Tensor([0, 1, 1, 0], shape: [4]))
        let svg = plot.svg()
        #expect(svg.contains(">source</text>") && svg.contains(">target</text>"))
        #expect(svg.contains("<circle") && svg.contains("<rect x="))
        #expect(WellFormed.problem(svg) == nil)
        #expect(throws: ReportError.self) { try ScatterPlot(coordinates: coordinates, classes: Tensor([0, 1], shape: [2])) }
    }

    @Test func imageGridComposesOnePNG() throws {
        let a = Tensor([0, 1, 1, 0], shape: [2, 2]), b = Tensor([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], shape: [3, 2, 2])
        let grid = try ImageGrid(tensors: [a, b, a], columns: 2, columnCaptions: ["x", "y"], rowCaptions: ["r0", "r1"], scale: 2, gap: 1)
        #expect(grid.rows == 2 && grid.columns == 2)
        // Cells are scaled, then separated by one white pixel.
        #expect(grid.composite.channels == 3 && grid.composite.width == 2 * 2 * 2 + 1 && grid.composite.height == 2 * 2 * 2 + 1)
        #expect(try PNG.decode(grid.png) == grid.composite)
        // The second cell is the RGB image: yellow top row, red bottom row, each two pixels tall.
        #expect(grid.composite[0, 5, 0] == 255 && grid.composite[1, 8, 1] == 255 && grid.composite[0, 5, 2] == 0)
        #expect(grid.composite[2, 5, 0] == 255 && grid.composite[3, 8, 1] == 0 && grid.composite[3, 8, 2] == 0)
        // The first cell is grey: black, white / white, black; the gap column is white.
        #expect(grid.composite[0, 0, 0] == 0 && grid.composite[1, 2, 0] == 255 && grid.composite[3, 3, 1] == 0)
        #expect((0..<grid.composite.height).allSatisfy { grid.composite[$0, 4, 0] == 255 && grid.composite[$0, 4, 2] == 255 })
        let svg = grid.svg()
        #expect(svg.components(separatedBy: "<image ").count == 2 && svg.contains("href=\"data:image/png;base64,"))
        #expect(svg.contains(">r1</text>") && svg.contains(">y</text>"))
        let batch = try ImageGrid(batch: Tensor.zeros([5, 1, 8, 8]), columns: 3)
        #expect(batch.rows == 2 && batch.composite.channels == 1 && batch.composite.width == 3 * 8 * 8 + 2)
        #expect(throws: ReportError.self) { try ImageGrid([], columns: 2) }
        #expect(throws: ReportError.self) { try ImageGrid(batch: Tensor.zeros([2, 2, 8, 8]), columns: 2) }
    }
}
