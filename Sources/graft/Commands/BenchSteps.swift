import ArgumentParser
import Foundation
import Graft
import GraftBench

/// `graft bench steps` (the default of `graft bench`): the reference training steps.
struct StepsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps",
        abstract: "Time the training steps of the PyTorch reference (scripts/perf/torch_bench.py) at its shapes.",
        discussion: """
            Median and minimum ms per step over 5 clean repetitions after a warm-up; repetitions during which other \
            processes used the CPU are dropped, as in the reference. With --reference PYTHON the PyTorch script runs \
            in the same sitting, alternating with Graft row by row, and the ratio Graft/PyTorch is printed.
            """
    )

    @Argument(help: "Rows to run (default: all). One of: \(BenchSuite.names.joined(separator: ", ")).")
    var rows: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Thread counts to measure.")
    var threads: [Int] = [1, 2]

    @Flag(name: .long, help: "Print a JSON list of rows instead of a table.")
    var json = false

    @Option(name: .long, help: "A Python with torch installed: also run the reference script and print ratios.")
    var reference: String?

    @Option(name: .long, help: "Monte-Carlo rollouts in seqgan_rollout16 (the reference uses 16).")
    var rollouts: Int = 16

    @Flag(name: .long, help: "Do not wait for a quiet machine or drop disturbed repetitions.")
    var noQuietCheck = false

    func validate() throws {
        if let bad = rows.first(where: { !BenchSuite.names.contains($0) }) {
            throw ValidationError("unknown row '\(bad)'; rows are: \(BenchSuite.names.joined(separator: ", "))")
        }
        if threads.isEmpty || threads.contains(where: { $0 < 1 || $0 > 256 }) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
        if rollouts < 1 { throw ValidationError("--rollouts must be at least 1, got \(rollouts)") }
    }

    /// One result row of the JSON output.
    struct Row: Codable {
        var name: String
        var threads: Int
        var median_ms: Double
        var min_ms: Double
        var torch_median_ms: Double?
        var torch_min_ms: Double?
        var ratio: Double?
    }

    func run() throws {
        let scriptDir = referenceScriptDirectory()
        var results: [Row] = []
        if !json {
            print("# graft bench: ms per step, median and min of 5 clean repetitions; "
                  + "malloc tuning: Graft keeps freed tensor memory (see TensorStorage)")
            print(Table.row(["row", "threads", "median ms", "min ms"]
                            + (reference != nil ? ["torch med", "torch min", "graft/torch"] : []), width: 12))
        }
        for t in threads {
            ComputeThreads.count = t
            for step in BenchSuite.make(only: Set(rows), rollouts: rollouts) {
                let r = Measure.time(targetSeconds: step.targetSeconds, quiet: !noQuietCheck, step.run)
                var row = Row(name: step.name, threads: t, median_ms: r.median * 1e3, min_ms: r.min * 1e3)
                if let python = reference {
                    if let torch = try runReference(python: python, script: scriptDir, threads: t, row: step.name) {
                        row.torch_median_ms = torch.0
                        row.torch_min_ms = torch.1
                        row.ratio = row.median_ms / torch.0
                    }
                }
                results.append(row)
                if !json {
                    var cells = [row.name, String(t), String(format: "%.3f", row.median_ms), String(format: "%.3f", row.min_ms)]
                    if reference != nil {
                        cells += [row.torch_median_ms.map { String(format: "%.3f", $0) } ?? "-",
                                  row.torch_min_ms.map { String(format: "%.3f", $0) } ?? "-",
                                  row.ratio.map { String(format: "%.3f", $0) } ?? "-"]
                    }
                    print(Table.row(cells, width: 12))
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        }
    }

    /// scripts/perf beside the checkout this binary was built from.
    func referenceScriptDirectory() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/perf")
    }

    /// Runs one row of the PyTorch reference; returns (median, min) ms, or nil if it printed none.
    func runReference(python: String, script: URL, threads: Int, row: String) throws -> (Double, Double)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.appendingPathComponent("torch_bench.py").path, String(threads), row]
        process.currentDirectoryURL = script
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch {
            throw ValidationError("--reference: cannot run '\(python)': \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(row + " ") {
            func value(_ key: String) -> Double? {
                guard let r = line.range(of: key) else { return nil }
                return Double(line[r.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
            }
            if let med = value("median="), let mn = value("min=") { return (med, mn) }
        }
        return nil
    }
}
