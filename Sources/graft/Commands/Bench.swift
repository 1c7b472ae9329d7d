import ArgumentParser
import Foundation
import Graft

/// `graft bench`: performance measurements.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure kernel and training-step speed.",
        subcommands: [StepsBenchCommand.self, GEMMBenchCommand.self],
        defaultSubcommand: StepsBenchCommand.self
    )
}

/// `graft bench gemm`: GFLOP/s of the Swift SGEMM and OpenBLAS.
struct GEMMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GFLOP/s of square SGEMM for the Swift kernel and OpenBLAS (when installed)."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Matrix sizes n (n x n x n).")
    var sizes: [Int] = [128, 256, 512, 1024]

    @Option(name: .long, parsing: .upToNextOption, help: "Thread counts to measure.")
    var threads: [Int] = [1, 2]

    @Option(name: .long, help: "Backend to measure: swift, openblas or all.")
    var backend: String = "all"

    @Flag(name: .long, help: "Print a JSON list of rows instead of a table.")
    var json = false

    func validate() throws {
        if sizes.isEmpty || sizes.contains(where: { $0 < 1 || $0 > 8192 }) {
            throw ValidationError("--sizes must be between 1 and 8192, got \(sizes)")
        }
        if threads.isEmpty || threads.contains(where: { $0 < 1 || $0 > 256 }) {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
        if backend != "all" && GEMMBackend(rawValue: backend) == nil {
            throw ValidationError("--backend must be one of: all, \(GEMMBackend.allCases.map(\.rawValue).joined(separator: ", ")); got '\(backend)'")
        }
    }

    func run() throws {
        var backends = backend == "all" ? GEMMBackend.allCases : [GEMMBackend(rawValue: backend)!]
        if !OpenBLAS.isAvailable {
            if backends == [.openblas] {
                throw ValidationError("OpenBLAS was not found (looked for libopenblas.so.0); install it with: apt-get install libopenblas-dev")
            }
            backends.removeAll { $0 == .openblas }
            if !json { print("OpenBLAS not found: measuring the Swift kernel only (apt-get install libopenblas-dev to compare).") }
        }
        let rows = GEMMBenchmark.run(ns: sizes, threadCounts: threads, backends: backends)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print(Table.row(["backend", "n", "threads", "GFLOP/s", "swift/openblas"]))
        for r in rows {
            var ratio = ""
            if r.backend == "swift" {
                let twin: GEMMBenchRow? = rows.first { (o: GEMMBenchRow) -> Bool in
                    o.backend == "openblas" && o.n == r.n && o.threads == r.threads
                }
                if let twin { ratio = String(format: "%.2f", r.gflops / twin.gflops) }
            }
            print(Table.row([r.label, String(r.n), String(r.threads), String(format: "%.1f", r.gflops), ratio]))
        }
    }
}

/// Fixed-width text tables for terminal output.
enum Table {
    /// The first cell left-aligned in `firstWidth` characters, the rest right-aligned in `width`.
    static func row(_ cells: [String], width: Int = 12, firstWidth: Int = 22) -> String {
        cells.enumerated().map { i, c in
            let pad = String(repeating: " ", count: max(0, (i == 0 ? firstWidth : width) - c.count))
            return i == 0 ? c + pad : pad + c
        }.joined(separator: " ")
    }
}
