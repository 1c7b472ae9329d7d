import Foundation

/// Where `graft data fetch` keeps the corpora it obtains: `GRAFT_DATA` if set, else
/// `$XDG_CACHE_HOME/graft/data`, else `~/.cache/graft/data`.
public enum DataHome {
    /// The data folder for fetched corpora (it may not exist yet).
    public static var directory: URL { directory(environment: ProcessInfo.processInfo.environment) }

    /// The data folder that `environment` selects.
    public static func directory(environment: [String: String]) -> URL {
        if let explicit = environment["GRAFT_DATA"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            return URL(fileURLWithPath: cache).appendingPathComponent("graft/data")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/graft/data")
    }
}
