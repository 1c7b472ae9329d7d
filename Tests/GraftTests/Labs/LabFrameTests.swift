import Foundation
import Testing
@testable import GraftLabs

@Suite struct LabFrameTests {
    func freshFolder(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-\(tag)-\(UUID().uuidString)")
    }

    @Test func quickMNISTRunWritesItsFiles() throws {
        let folder = freshFolder("quick")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(MNISTMLPLab(), options: LabOptions(quick: true, seed: 1, threads: 2),
                                        folder: folder, showProgress: false)
        let accuracy = try #require(outcome.metrics.first { $0.name == "test accuracy" })
        #expect(accuracy.value > 80 && accuracy.value <= 100)
        #expect(accuracy.paper == 96.95)
        for file in ["config.json", "metrics.json", "report.html", "checkpoint.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: folder.appendingPathComponent("metrics.json")))
        #expect(record.curves.map(\.name).contains("training loss"))
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as? [String: Any]
        #expect(config?["lab"] as? String == "mnist-mlp")
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("A multilayer perceptron on MNIST") && html.contains("test accuracy") && html.contains("<svg"))
        // A quick run is not judged against the paper; its report says so and names the paper's figure.
        #expect(html.contains("not compared with the paper") && html.contains("test accuracy 96.95%") && !html.contains("below</td>"))
        #expect(html.contains("data:image/png;base64,"))   // the misclassified digits
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func interruptedRunResumesToTheSameNumbers() throws {
        let whole = freshFolder("whole"), split = freshFolder("split")
        defer { try? FileManager.default.removeItem(at: whole); try? FileManager.default.removeItem(at: split) }
        let options = LabOptions(quick: true, seed: 3, threads: 1)
        let reference = try LabRunner.run(MNISTMLPLab(), options: options, folder: whole, showProgress: false)
        // Stop after 30 steps (mid-epoch), then resume.
        var polls = 0
        #expect(throws: LabInterrupted.self) {
            _ = try LabRunner.run(MNISTMLPLab(), options: options, folder: split, showProgress: false,
                                  stopRequested: { polls += 1; return polls >= 30 })
        }
        var resumed = options
        resumed.resume = true
        let finished = try LabRunner.run(MNISTMLPLab(), options: resumed, folder: split, showProgress: false, stopRequested: { false })
        #expect(finished.metrics == reference.metrics)
        let a = try Data(contentsOf: whole.appendingPathComponent("metrics.json"))
        let b = try Data(contentsOf: split.appendingPathComponent("metrics.json"))
        #expect(a == b)
    }

    /// Two metrics: one with the paper's value and its source, one whose note explains a spread.
    struct NotedLab: Lab {
        let name = "noted", title = "Noted", claim = "Notes go where they belong.", datasets: [String] = []
        func run(_ context: LabContext) throws {
            context.metric("accuracy", 90, unit: "%", paper: 91, note: "Table 2 of the paper")
            context.metric("accuracy std", 1.5, unit: "%", note: "standard deviation over 3 seeds")
        }
    }

    @Test func paperSourcesAndOtherMetricNotesAreListedApart() throws {
        let folder = freshFolder("noted")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try LabRunner.run(NotedLab(), options: LabOptions(threads: 1), folder: folder, showProgress: false)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        let paper = try #require(html.range(of: "The paper&#39;s numbers: accuracy: Table 2 of the paper.") ?? html.range(of: "The paper's numbers: accuracy: Table 2 of the paper."))
        let about = try #require(html.range(of: "About the numbers: accuracy std: standard deviation over 3 seeds."))
        #expect(paper.upperBound <= about.lowerBound)
    }

    @Test func unknownLabsAreNotFound() {
        #expect(LabRegistry.lab(named: "no-such-lab") == nil)
        #expect(LabRegistry.lab(named: "mnist-mlp") != nil)
    }
}
