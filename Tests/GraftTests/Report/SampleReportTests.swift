import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftReport

/// A sample report using every kind of figure, on bundled data and synthetic curves. Set
/// GRAFT_SAMPLE_REPORT to a path to keep a copy there (scripts/screenshot_report.sh does).
@Suite struct SampleReportTests {
    /// sklearn's 8x8 digits, the first `perDigit` of each digit, as ink-on-paper images.
    func digits(perDigit: Int) throws -> [PNGImage] {
        let text = String(decoding: try Gzip.readFile(DataLocation.bundledFile("digits/sklearn_digits_8x8.csv.gz")), as: UTF8.self)
        var byDigit = [[PNGImage]](repeating: [], count: 10)
        for line in text.split(separator: "\n") {
            let values = line.split(separator: ",").compactMap { Int($0) }
            guard values.count == 65, byDigit[values[64]].count < perDigit else { continue }
            byDigit[values[64]].append(try PNGImage(width: 8, height: 8, channels: 1,
                                                    pixels: values.prefix(64).map { UInt8(255 - $0 * 255 / 16) }))
        }
        // Row-major grid: row r holds sample r of every digit.
        return (0..<perDigit).flatMap { r in (0..<10).map { byDigit[$0][r] } }
    }

    /// The first `count` bundled photos, shrunk from 192 to 96 pixels square by 2x2 averages.
    func photos(_ count: Int) throws -> [PNGImage] {
        let npy = try Gzip.readFile(DataLocation.bundledFile("photos/photos_192.npy.gz"))
        let headerLength = Int(npy[8]) | Int(npy[9]) << 8
        let data = npy.dropFirst(10 + headerLength)
        return try (0..<count).map { k in
            let base = data.startIndex + k * 192 * 192 * 3
            var pixels = [UInt8](repeating: 0, count: 96 * 96 * 3)
            for y in 0..<96 {
                for x in 0..<96 {
                    for c in 0..<3 {
                        var sum = 0
                        for dy in 0..<2 { for dx in 0..<2 { sum += Int(data[base + ((y * 2 + dy) * 192 + x * 2 + dx) * 3 + c]) } }
                        pixels[(y * 96 + x) * 3 + c] = UInt8(sum / 4)
                    }
                }
            }
            return try PNGImage(width: 96, height: 96, channels: 3, pixels: pixels)
        }
    }

    func sampleReport() throws -> Report {
        let rng = RandomGenerator(seed: 42)
        let epochs = 30
        var train: [Double] = [], val: [Double] = [], acc: [Double] = []
        for e in 0..<epochs {
            let t = Double(e)
            train.append(2.3 * exp(-t / 6) + 0.08 + 0.02 * Double(rng.nextNormal()))
            val.append(e == 17 ? .nan : 2.3 * exp(-t / 7) + 0.2 + 0.03 * Double(rng.nextNormal()))
            acc.append(0.1 + 0.66 * (1 - exp(-t / 5)) + 0.01 * Double(rng.nextNormal()))
        }
        var features: [ScatterPlot.Point] = []
        for i in 0..<300 {
            let domain = i % 2
            features.append(.init(x: Double(rng.nextNormal()) * 1.2 + (domain == 0 ? -1 : 1.2),
                                  y: Double(rng.nextNormal()) + (domain == 0 ? 0.5 : -0.3), classIndex: domain))
        }

        var report = Report(
            title: "DANN: MNIST → MNIST-M (sample report)",
            summary: "Domain-adversarial training reaches 75.9% target accuracy against the paper's 76.66%, within ±1 point (synthetic numbers).",
            headline: [
                Metric("target accuracy (MNIST-M)", ours: 75.91, paper: 76.66, unit: "%", tolerance: .absolute(1)),
                Metric("source accuracy (MNIST)", ours: 98.71, paper: 96.2, unit: "%", tolerance: .absolute(1)),
                Metric("source-only target accuracy", ours: 49.3, paper: 52.25, unit: "%", tolerance: .absolute(2)),
                Metric("A-distance", ours: 1.21, unit: ""),
            ],
            footer: Report.Footer(seed: 42, threads: 2, codeVersion: "c65baa6", wallTime: 754.2))

        var training = Report.Section("Training")
        training.paragraph("Both losses fall steadily; epoch 18's validation pass was skipped, "
                           + "so its curve has a gap there rather than a drop to zero.")
        training.figure(LineChart(xLabel: "epoch", yLabel: "cross-entropy",
                                  series: [.init("train", y: train, start: 1), .init("validation", y: val, start: 1)]),
                        caption: "Label-classifier loss per epoch.")
        training.figure(LineChart(xLabel: "epoch", yLabel: "target accuracy",
                                  series: [.init("DANN", y: acc, start: 1)],
                                  references: [ReferenceLine("paper: 0.7666", value: 0.7666, colorIndex: 0),
                                               ReferenceLine("chance: 0.1", value: 0.1)]),
                        caption: "Target-domain accuracy against the paper's final number.")
        training.figure(LineChart(xLabel: "epoch", yLabel: "loss (log scale)",
                                  series: [.init("train", y: train, start: 1), .init("validation", y: val, start: 1)], logY: true),
                        caption: "The same losses on a log axis.")
        report.add(training)

        var comparison = Report.Section("Comparison with the paper")
        comparison.figure(BarChart(yLabel: "target accuracy (%)", categories: ["source only", "subspace alignment (SA)", "DANN", "train on target"],
                                   groups: [.init("ours", values: [49.3, 57.4, 75.91, nil]),
                                            .init("paper", values: [52.25, 56.90, 76.66, 95.96])],
                                   valueDecimals: 1),
                          caption: "Target accuracy by method; we did not run the train-on-target bound.")
        comparison.figure(ScatterPlot(xLabel: "PC 1", yLabel: "PC 2", classNames: ["source (MNIST)", "target (MNIST-M)"],
                                      points: features),
                          caption: "Penultimate-layer features projected on their first two principal components.")
        report.add(comparison)

        var samples = Report.Section("Samples")
        samples.figure(try ImageGrid(digits(perDigit: 2), columns: 10, columnCaptions: (0..<10).map(String.init),
                                     rowCaptions: ["sample 1", "sample 2"], gapShade: 200),
                       caption: "Bundled 8×8 digits, two per class.")
        samples.figure(try ImageGrid(photos(4), columns: 4, columnCaptions: ["bridge", "citrus", "bee", "aerial"]),
                       caption: "Bundled photos, shrunk to 96×96.")
        report.add(samples)

        var configuration = Report.Section("Configuration")
        configuration.keyValues(["model": "LeNet-style CNN + gradient reversal", "optimizer": "SGD, momentum 0.9",
                                 "learning rate": "0.01 / (1 + 10p)^0.75", "batch size": "128 source + 128 target",
                                 "epochs": "\(epochs)", "λ schedule": "2 / (1 + exp(−10p)) − 1"])
        configuration.table(header: ["digit", "ours", "paper"], rows: [["0", "0.81", "0.83"], ["1", "0.77", "0.80"], ["2", "0.69", "0.71"]],
                            caption: "Per-class target accuracy (first three digits).")
        report.add(configuration)
        return report
    }

    @Test func writesASampleReportWithEveryFigureKind() throws {
        let report = try sampleReport()
        let html = report.html()
        #expect(html == (try sampleReport()).html())
        #expect(!html.contains("http") && !html.contains("<script"))
        // Every inline SVG is well-formed.
        let svgs = html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
        #expect(svgs.count == 7)
        for svg in svgs { #expect(WellFormed.problem(svg) == nil, "\(WellFormed.problem(svg) ?? "")") }
        for heading in ["Headline results", "Training", "Comparison with the paper", "Samples", "Configuration"] {
            #expect(html.contains("<h2>\(heading)</h2>"))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("report.html")
        try report.write(to: url)
        #expect(try Data(contentsOf: url).count == html.utf8.count)
        if let keep = ProcessInfo.processInfo.environment["GRAFT_SAMPLE_REPORT"], !keep.isEmpty {
            let keptURL = URL(fileURLWithPath: keep)
            try report.write(to: keptURL)
            var index = IndexPage(title: "Graft sample reports", summary: "The sample report, as an index page links it.")
            index.add(report, href: keptURL.lastPathComponent)
            try index.write(to: keptURL.deletingLastPathComponent().appendingPathComponent("index.html"))
        }
    }
}
