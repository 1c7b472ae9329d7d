import Foundation

/// Files of fetched corpora, with the error that tells the user how to fetch them.
public enum FetchedFile {
    /// The file `name` of the fetched data set `dataset` in `dataHome`, or an error saying that
    /// `graft data fetch DATASET` obtains it.
    public static func url(_ dataset: String, _ name: String, dataHome: URL = DataHome.directory) throws -> URL {
        let url = dataHome.appendingPathComponent(dataset).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError(url.path, "not found: the \(dataset) corpus is not bundled; "
                                      + "run `graft data fetch \(dataset)` (it goes into GRAFT_DATA, now \(dataHome.path))")
        }
        return url
    }
}
