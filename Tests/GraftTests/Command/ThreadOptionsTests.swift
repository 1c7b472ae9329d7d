import Foundation
import Testing
@testable import GraftLabs

/// `--threads` and `GRAFT_THREADS` are checked alike by the real `graft` command.
@Suite struct ThreadOptionsTests {
    /// Runs `graft arguments` with `environment` added; returns the exit status and stderr.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = try SignalTests.graft
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aNegativeThreadCountIsReadAsANumberAndRefusedByRange() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-threads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(["lab", "mnist-mlp", "--quick", "--threads", "-1", "--out", folder.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--threads must be between 1 and 256, got -1"), "\(result.stderr)")
    }

    @Test(arguments: ["0", "abc", "300"])
    func aMalformedGraftThreadsIsRefusedNotIgnored(_ value: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-threads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(["lab", "mnist-mlp", "--quick", "--out", folder.path], environment: ["GRAFT_THREADS": value])
        #expect(result.status != 0)
        #expect(result.stderr.contains("GRAFT_THREADS must be a whole number between 1 and 256, got '\(value)'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("metrics.json").path))
    }
}
