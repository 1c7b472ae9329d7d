import Foundation

/// 2,306 English (utterance, response) pairs in 21 topics from the ChatterBot corpus, bundled
/// as `Data/dialogue/chatterbot_en_pairs.tsv.gz` (tab-separated with the header
/// `category utterance response`): a small dialogue corpus.
public enum ChatterBotPairs {
    /// One exchange.
    public struct Pair: Sendable, Equatable {
        /// The topic, e.g. "ai" or "greetings".
        public let category: String
        /// What the user says.
        public let utterance: String
        /// The bot's reply.
        public let response: String
    }

    /// The number of pairs in the bundled file.
    public static let expectedCount = 2_306

    /// Loads the pairs from `url` (the bundled copy by default), which must have the header
    /// `category utterance response` and 2,306 rows of three fields.
    public static func load(from url: URL? = nil) throws -> [Pair] {
        let file = try url ?? DataLocation.bundledFile("dialogue/chatterbot_en_pairs.tsv.gz")
        let table = try Delimited.read(file, separator: "\t", hasHeader: true, columns: .exactly(3))
        guard table.header == ["category", "utterance", "response"] else {
            throw DataError(file.path, "line 1: expected the header [\"category\", \"utterance\", \"response\"], found \(table.header ?? [])")
        }
        guard table.rows.count == expectedCount else {
            throw DataError(file.path, "expected \(expectedCount) pairs, found \(table.rows.count)")
        }
        return table.rows.map { Pair(category: $0[0], utterance: $0[1], response: $0[2]) }
    }
}
