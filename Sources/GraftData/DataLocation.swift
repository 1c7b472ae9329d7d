import Foundation

/// Where the data sets bundled with Graft (the repository's `Data/` folder) are found.
public enum DataLocation {
    /// The bundled data folder: `GRAFT_BUNDLED_DATA` if set, else the `Data/` folder of the
    /// checkout this code was built from (found from the running executable or the source).
    public static var bundled: URL {
        if let env = ProcessInfo.processInfo.environment["GRAFT_BUNDLED_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() { candidates.append(exe.deletingLastPathComponent()) }
        // Sources/GraftData/DataLocation.swift -> repository root.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        for start in candidates {
            var dir = start
            for _ in 0..<6 {
                let data = dir.appendingPathComponent("Data")
                if FileManager.default.fileExists(atPath: data.appendingPathComponent("LICENSES.md").path) { return data }
                dir = dir.deletingLastPathComponent()
            }
        }
        return candidates.last!.appendingPathComponent("Data")
    }

    /// A file in the bundled data, or an error saying where it was looked for.
    public static func bundledFile(_ relativePath: String) throws -> URL {
        let url = bundled.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError(url.path, "bundled data file is missing (set GRAFT_BUNDLED_DATA to the repository's Data folder)")
        }
        return url
    }
}
