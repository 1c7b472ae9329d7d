import Foundation
import Testing
@testable import GraftLabs
import GraftNN

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
        try ResumeCheck.check(MNISTMLPLab(), seed: 3)
    }

    @Test func resumeWithOtherOptionsIsRefusedNamingTheDifference() throws {
        let folder = freshFolder("other-seed")
        defer { try? FileManager.default.removeItem(at: folder) }
        var polls = 0
        #expect(throws: LabInterrupted.self) {
            _ = try LabRunner.run(MNISTMLPLab(), options: LabOptions(quick: true, seed: 1, threads: 1), folder: folder,
                                  showProgress: false, stopRequested: { polls += 1; return polls >= 5 })
        }
        do {
            _ = try LabRunner.run(MNISTMLPLab(), options: LabOptions(quick: true, seed: 2, threads: 2, resume: true), folder: folder,
                                  showProgress: false, stopRequested: { false })
            Issue.record("a resume with another seed was accepted")
        } catch let error as LabError {
            #expect(error.message.contains("--seed 1") && error.message.contains("--seed 2"), "\(error.message)")
            #expect(error.message.contains("--threads 1") && error.message.contains("--threads 2"), "\(error.message)")
        }
        // The refused run left the checkpoint as it was: resuming with the right options works.
        _ = try LabRunner.run(MNISTMLPLab(), options: LabOptions(quick: true, seed: 1, threads: 1, resume: true), folder: folder,
                              showProgress: false, stopRequested: { false })
    }

    @Test func aNonFiniteLossStopsNamingTheLoopAndStep() throws {
        struct Diverging: Lab {
            let name = "diverging", title = "Diverging", claim = "None.", datasets: [String] = []
            func run(_ context: LabContext) throws {
                let value = Tracked(1.0)
                try context.train("blow-up", steps: 10, tracking: ["value": value]) { step in
                    value.value *= 1e200
                    return ["loss": value.value]
                }
            }
        }
        let folder = freshFolder("nan")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: NonFiniteLoss(loop: "blow-up", step: 2, steps: 10, loss: "loss", value: .infinity)) {
            _ = try LabRunner.run(Diverging(), options: LabOptions(threads: 1), folder: folder, showProgress: false)
        }
    }

    @Test func aCheckpointWithAStepOutOfRangeIsRefused() throws {
        struct Counting: Lab {
            let name = "counting", title = "Counting", claim = "None.", datasets: [String] = []
            func run(_ context: LabContext) throws {
                let count = Tracked(0)
                try context.train("count", steps: 5, tracking: ["count": count]) { _ in count.value += 1; return [:] }
                context.metric("count", Double(count.value))
            }
        }
        let folder = freshFolder("hostile-step")
        defer { try? FileManager.default.removeItem(at: folder) }
        var polls = 0
        #expect(throws: LabInterrupted.self) {
            _ = try LabRunner.run(Counting(), options: LabOptions(threads: 1), folder: folder, showProgress: false,
                                  stopRequested: { polls += 1; return polls >= 2 })
        }
        let url = folder.appendingPathComponent("checkpoint.safetensors")
        var (tensors, metadata) = try SafeTensors.read(url)
        let loops = try #require(metadata["graft.lab.loops"])
        metadata["graft.lab.loops"] = loops.replacingOccurrences(of: "\"step\":2", with: "\"step\":-1")
        #expect(metadata["graft.lab.loops"] != loops)
        try SafeTensors.write(tensors, metadata: metadata, to: url)
        tensors = [:]
        do {
            _ = try LabRunner.run(Counting(), options: LabOptions(threads: 1, resume: true), folder: folder, showProgress: false)
            Issue.record("a checkpoint at step -1 was accepted")
        } catch let error as LabError {
            #expect(error.message.contains("step -1 of 5") && error.message.contains(url.path), "\(error.message)")
        }
        // Resumed from the real checkpoint, the count ends at 5 as in a whole run.
        metadata["graft.lab.loops"] = loops
        try SafeTensors.write([:], metadata: metadata, to: url)
        let outcome = try LabRunner.run(Counting(), options: LabOptions(threads: 1, resume: true), folder: folder, showProgress: false)
        #expect(outcome.metrics.first?.value == 5)
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
        let paper = try #require(html.range(of: "The paper&#39;s numbers: accuracy: Table 2 of the paper.")
                                 ?? html.range(of: "The paper's numbers: accuracy: Table 2 of the paper."))
        let about = try #require(html.range(of: "About the numbers: accuracy std: standard deviation over 3 seeds."))
        #expect(paper.upperBound <= about.lowerBound)
    }

    @Test func unknownLabsAreNotFound() {
        #expect(LabRegistry.lab(named: "no-such-lab") == nil)
        #expect(LabRegistry.lab(named: "mnist-mlp") != nil)
    }
}
