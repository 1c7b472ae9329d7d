import Foundation
import Testing
@testable import GraftLabs

/// A lab whose fetched data are absent; running it would be an error.
private struct NeedsFetchedDataLab: Lab {
    let name = "needs-data"
    let title = "A lab needing fetched data"
    let claim = "Skipped, not failed, when its data are absent."
    let datasets = ["fashion-mnist"]
    func missingData() -> [String] { ["fashion-mnist"] }
    func run(_ context: LabContext) throws { throw LabError("ran although its data are missing") }
}

/// A lab with only bundled data, relying on the default `missingData()`.
private struct BundledDataLab: Lab {
    let name = "bundled"
    let title = "A lab on bundled data"
    let claim = "Runs in the tour."
    let datasets = ["mnist", "uci-zoo"]
    func run(_ context: LabContext) throws { context.metric("answer", 42) }
}

@Suite struct LabDataTests {
    @Test func onlyAbsentFetchedDataSetsAreMissing() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("graft-labdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(LabData.missingFetched(["mnist", "fashion-mnist", "no-such-set", "bbc"], dataHome: home) == ["fashion-mnist", "bbc"])
        #expect(BundledDataLab().missingData().isEmpty)
        #expect(MNISTMLPLab().missingData().isEmpty)
    }

    @Test func theTourSkipsALabWhoseDataAreNotFetchedAndSaysHowToFetchThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-demo-skip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines: [String] = []
        let outcome = try DemoTour.run(labs: [NeedsFetchedDataLab(), BundledDataLab()], folder: folder, threads: 1,
                                       showProgress: false, log: { lines.append($0) })
        #expect(outcome.skipped.count == 1 && outcome.skipped[0].lab == "needs-data" && outcome.skipped[0].missing == ["fashion-mnist"])
        #expect(outcome.failures.isEmpty)
        #expect(outcome.runs.map { $0.folder.lastPathComponent } == ["bundled"])
        let index = try String(contentsOf: outcome.index, encoding: .utf8)
        #expect(index.contains("Skipped in the tour") && index.contains("graft data fetch fashion-mnist"), "\(index)")
        #expect(lines.contains { $0.contains("skipped") && $0.contains("graft data fetch fashion-mnist") })
    }
}
