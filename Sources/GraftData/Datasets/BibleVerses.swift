import Foundation

/// 31,095 Bible verses aligned by reference, in the King James Version (archaic English) and
/// the World English Bible (modern English), bundled as `Data/text/kjv_web_aligned.tsv.gz`
/// (reference, KJV text and WEB text, tab-separated, no header): a parallel corpus for
/// style transfer between two registers of English.
public enum BibleVerses {
    /// One verse in both translations.
    public struct Verse: Sendable, Equatable {
        /// The reference, e.g. "Gen.1.1".
        public let reference: String
        /// The King James text.
        public let kjv: String
        /// The World English Bible text.
        public let web: String
    }

    /// The number of verses in the bundled file.
    public static let expectedCount = 31_095

    /// Loads the verses from `url` (the bundled copy by default), which must hold 31,095 rows
    /// of three tab-separated fields with a non-empty reference.
    public static func load(from url: URL? = nil) throws -> [Verse] {
        let file = try url ?? DataLocation.bundledFile("text/kjv_web_aligned.tsv.gz")
        let table = try Delimited.read(file, separator: "\t", columns: .exactly(3))
        guard table.rows.count == expectedCount else {
            throw DataError(file.path, "expected \(expectedCount) verses, found \(table.rows.count)")
        }
        if let bad = table.rows.firstIndex(where: { $0[0].isEmpty }) {
            throw table.error(row: bad, "the reference (field 1) is empty")
        }
        return table.rows.map { Verse(reference: $0[0], kjv: $0[1], web: $0[2]) }
    }
}
