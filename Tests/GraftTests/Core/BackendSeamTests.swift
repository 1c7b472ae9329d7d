import Foundation
import Testing

/// The backend seam: only code under `Sources/Graft/Backend/` (and the AVX-512 kernels) touches
/// storage pointers, the thread pool or SGEMM; everything else calls tensor ops, which call the
/// `Backend` protocol. Reads the source tree next to this file.
@Suite("Backend seam")
struct BackendSeamTests {
    /// Folders whose files may use the backend's internals.
    static let backendFolders = ["Sources/Graft/Backend/", "Sources/GraftAVX512/"]

    /// Files outside the backend that still reach into it, each to be emptied from this list when
    /// its code moves to tensor ops. Empty: every op calls the `Backend` protocol.
    static let allowlist: Set<String> = []

    /// What code outside the backend must not mention, with a regular expression for each.
    static let forbidden: [(name: String, pattern: String)] = [
        ("storage.pointer", #"storage\.pointer"#),
        (".pointer (of a TensorStorage)", #"\.pointer\b"#),
        ("ThreadPool", #"\bThreadPool\b"#),
        ("sgemm(", #"\bsgemm\("#),
        ("a kernel enum (XKernel.f, XKernels.f)", #"\b[A-Za-z0-9]+Kernels?\.[a-z]"#),
    ]

    /// The package root: three folders above Tests/GraftTests/Core/.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every Swift file under Sources/, as paths relative to the package root.
    static func sourceFiles() -> [String] {
        let root = packageRoot
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return files.sorted()
    }

    /// "file:line: mentions X" for every forbidden mention in `text` (the file at `path`).
    static func violations(in text: String, path: String) throws -> [String] {
        let patterns = try forbidden.map { ($0.name, try NSRegularExpression(pattern: $0.pattern)) }
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let s = String(line)
            let range = NSRange(s.startIndex..., in: s)
            for (name, regex) in patterns where regex.firstMatch(in: s, range: range) != nil {
                found.append("\(path):\(number + 1): mentions \(name)")
            }
        }
        return found
    }

    @Test("no file outside Backend/ touches storage pointers, ThreadPool, sgemm or kernels")
    func seamHolds() throws {
        let files = BackendSeamTests.sourceFiles()
        #expect(files.count > 100, "found only \(files.count) Swift files under \(BackendSeamTests.packageRoot.path)/Sources")
        var problems: [String] = []
        for path in files where !BackendSeamTests.backendFolders.contains(where: { path.hasPrefix($0) })
                                && !BackendSeamTests.allowlist.contains(path) {
            let text = try String(contentsOf: BackendSeamTests.packageRoot.appendingPathComponent(path), encoding: .utf8)
            problems += try BackendSeamTests.violations(in: text, path: path)
        }
        #expect(problems.isEmpty, "outside Sources/Graft/Backend/, call tensor ops (the Backend protocol):\n\(problems.joined(separator: "\n"))")
    }

    @Test("every allowlisted file exists and still needs its entry")
    func allowlistIsCurrent() throws {
        for path in BackendSeamTests.allowlist.sorted() {
            let url = BackendSeamTests.packageRoot.appendingPathComponent(path)
            let text = try? String(contentsOf: url, encoding: .utf8)
            #expect(text != nil, "allowlisted \(path) does not exist: remove its entry")
            if let text {
                let stillNeeded = try !BackendSeamTests.violations(in: text, path: path).isEmpty
                #expect(stillNeeded, "\(path) no longer reaches into the backend: remove its entry")
            }
        }
    }

    @Test("the check finds a pointer, a pool, a GEMM and a kernel call, naming file and line")
    func checkFindsViolations() throws {
        let text = "let a = 1\nlet p = x.storage.pointer\nThreadPool.shared.parallelFor(2) { _ in }\nsgemm(transA: false)\n"
            + "let s = SquaredSumKernel.run(p, 4)\nOptimizerKernels.adam(4, p)\nlet k = Kernel(size: 3)\n"
        let found = try BackendSeamTests.violations(in: text, path: "Sources/Example.swift")
        #expect(found.contains("Sources/Example.swift:2: mentions storage.pointer"))
        #expect(found.contains("Sources/Example.swift:3: mentions ThreadPool"))
        #expect(found.contains("Sources/Example.swift:4: mentions sgemm("))
        #expect(found.contains("Sources/Example.swift:5: mentions a kernel enum (XKernel.f, XKernels.f)"))
        #expect(found.contains("Sources/Example.swift:6: mentions a kernel enum (XKernel.f, XKernels.f)"))
        #expect(!found.contains { $0.hasPrefix("Sources/Example.swift:7:") })
        #expect(!found.contains { $0.hasPrefix("Sources/Example.swift:1:") })
    }
}
