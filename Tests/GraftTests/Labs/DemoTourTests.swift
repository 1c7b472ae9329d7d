import Foundation
import Testing
@testable import GraftLabs

/// A lab that always fails, to check the tour goes on and says so.
private struct BrokenLab: Lab {
    let name = "broken"
    let title = "A lab that fails"
    let claim = "Failures are reported, not hidden."
    let datasets: [String] = []
    func run(_ context: LabContext) throws { throw LabError("the loss became NaN at step 3") }
}

@Suite struct DemoTourTests {
    @Test func tourRunsEachLabQuicklyAndIndexesTheReports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines: [String] = []
        let outcome = try DemoTour.run(labs: [MNISTMLPLab(), BrokenLab()], folder: folder, seed: 2, threads: 2,
                                       showProgress: false, log: { lines.append($0) })
        #expect(outcome.index == folder.appendingPathComponent("index.html"))
        #expect(outcome.runs.count == 1 && outcome.runs[0].folder.lastPathComponent == "mnist-mlp")
        #expect(outcome.failures.map(\.lab) == ["broken"] && outcome.failures[0].error.contains("NaN at step 3"))
        let config = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("mnist-mlp/config.json"))) as? [String: Any]
        #expect((config?["options"] as? [String: Any])?["size"] as? String == "quick")
        let index = try String(contentsOf: outcome.index, encoding: .utf8)
        #expect(index.contains("href=\"mnist-mlp/report.html\"") && index.contains("test accuracy"))
        #expect(!index.contains("within tolerance of the paper"))   // quick runs are not judged
        #expect(index.contains("This lab failed in the tour") && index.contains("NaN at step 3"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mnist-mlp/report.html").path))
        #expect(lines.first == "[1/2] mnist-mlp: \(MNISTMLPLab().title)" && lines.contains { $0.contains("failed") })
        #expect(DemoTour.labs.map(\.name) == LabRegistry.all.map(\.name))
    }

    @Test func valuesPrintWithTheirUnits() {
        #expect(GraftLabs.Headline.format(25.33333, unit: "points") == "25.33 points")
        #expect(GraftLabs.Headline.format(97.91, unit: "%") == "97.91%")
        #expect(GraftLabs.Headline.format(-243.04, unit: " nats") == "-243 nats")
        #expect(GraftLabs.Headline.format(0.64123, unit: "") == "0.6412")
    }
}
