import Foundation
import GraftData

extension Lab {
    /// The data sets of `datasets` that `graft data fetch` obtains and that are not complete
    /// in the user's data folder (`GRAFT_DATA`).
    public func missingData() -> [String] { LabData.missingFetched(datasets, dataHome: DataHome.directory) }

    /// No options of its own.
    public var runSettings: [String: String] { [:] }
}

/// Which of a lab's data sets are present.
public enum LabData {
    /// The names in `names` that are fetched data sets (bundled and unknown names are skipped)
    /// whose files are not all in `dataHome`.
    public static func missingFetched(_ names: [String], dataHome: URL) -> [String] {
        names.filter { name in
            guard let info = DatasetCatalog.dataset(named: name), !info.isBundled else { return false }
            return !info.status(dataHome: dataHome).isComplete
        }
    }
}
