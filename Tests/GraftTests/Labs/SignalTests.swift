import Foundation
import Testing
@testable import GraftLabs

/// The `graft` command under real signals: Ctrl-C (SIGINT) stops a lab within 2 s with a
/// checkpoint, and a killed run (SIGKILL) resumes from its last periodic checkpoint; either
/// way `--resume` ends with the numbers of an uninterrupted run.
@Suite(.serialized) struct SignalTests {
    /// The `graft` executable built beside this test bundle.
    static var graft: URL {
        get throws {
            let bundle = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            let url = bundle.deletingLastPathComponent().appendingPathComponent("graft")
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw LabError("no graft executable beside the test bundle at \(url.path); `swift test` builds it with the tests")
            }
            return url
        }
    }

    /// Starts `graft lab NAME --quick --threads 1 --out folder` (plus `extra`), with checkpoints
    /// written every `checkpointSeconds`.
    static func start(_ lab: String, folder: URL, extra: [String] = [], checkpointSeconds: Double = 120) throws -> Process {
        let process = Process()
        process.executableURL = try graft
        process.arguments = ["lab", lab, "--quick", "--threads", "1", "--seed", "5", "--out", folder.path] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["GRAFT_CHECKPOINT_SECONDS"] = String(checkpointSeconds)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The uninterrupted run's metrics.json, made in this process with the same options.
    static func reference(_ lab: String) throws -> Data {
        let folder = ResumeCheck.folder("\(lab)-signal-reference")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try LabRunner.run(try #require(LabRegistry.lab(named: lab)), options: LabOptions(quick: true, seed: 5, threads: 1),
                              folder: folder, showProgress: false, stopRequested: { false })
        return try Data(contentsOf: folder.appendingPathComponent("metrics.json"))
    }

    /// Waits until `file` exists (or `seconds` pass); true when it does.
    static func waitFor(_ file: URL, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: file.path) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test func ctrlCStopsWithinTwoSecondsAndResumes() throws {
        let folder = ResumeCheck.folder("sigint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = try Self.reference("mnist-mlp")
        let process = try Self.start("mnist-mlp", folder: folder)
        // Training has started once config.json is written; stop at a random moment after that.
        #expect(Self.waitFor(folder.appendingPathComponent("config.json"), seconds: 60))
        Thread.sleep(forTimeInterval: Double.random(in: 0.2...1.0))
        let signalled = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let latency = Date().timeIntervalSince(signalled)
        #expect(process.terminationStatus == 130 || process.terminationStatus == 0, "exit status \(process.terminationStatus)")
        #expect(latency < 2, "stopped \(latency) s after Ctrl-C")
        if process.terminationStatus == 130 {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.safetensors").path))
        }
        let resumed = try Self.start("mnist-mlp", folder: folder, extra: ["--resume"])
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        #expect(try Data(contentsOf: folder.appendingPathComponent("metrics.json")) == expected)
    }

    @Test(arguments: ["mnist-mlp", "mode-collapse"]) func aKilledRunResumesFromItsLastCheckpoint(_ lab: String) throws {
        let folder = ResumeCheck.folder("sigkill-\(lab)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = try Self.reference(lab)
        let process = try Self.start(lab, folder: folder, checkpointSeconds: 0.1)
        // Killed at a random moment after its first periodic checkpoint.
        #expect(Self.waitFor(folder.appendingPathComponent("checkpoint.safetensors"), seconds: 120))
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.5))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let resumed = try Self.start(lab, folder: folder, extra: ["--resume"])
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        #expect(try Data(contentsOf: folder.appendingPathComponent("metrics.json")) == expected)
    }
}
