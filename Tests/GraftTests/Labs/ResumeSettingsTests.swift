import Foundation
import Testing
@testable import GraftLabs

@Suite struct ResumeSettingsTests {
    @Test func resumeWithOtherLabSettingsIsRefusedNamingTheOption() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-settings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = LabOptions(quick: true, seed: 4, threads: 1)
        let slow = MNISTMLPLab(settings: .init(epochs: 1, batchSize: 100, learningRate: 1e-3))
        var polls = 0
        #expect(throws: LabInterrupted.self) {
            _ = try LabRunner.run(slow, options: options, folder: folder, showProgress: false,
                                  stopRequested: { polls += 1; return polls >= 3 })
        }
        var resumed = options
        resumed.resume = true
        let fast = MNISTMLPLab(settings: .init(epochs: 1, batchSize: 100, learningRate: 0.01))
        do {
            _ = try LabRunner.run(fast, options: resumed, folder: folder, showProgress: false, stopRequested: { false })
            Issue.record("a resume with another learning rate was accepted")
        } catch let error as LabError {
            #expect(error.message.contains("--learning-rate 0.001") && error.message.contains("--learning-rate 0.01"), "\(error.message)")
            #expect(!error.message.contains("--batch-size"), "\(error.message)")
        }
        let config = try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("--learning-rate"))
        // The same settings resume.
        let outcome = try LabRunner.run(slow, options: resumed, folder: folder, showProgress: false, stopRequested: { false })
        #expect(outcome.metrics.contains { $0.name == "test accuracy" })
    }
}
