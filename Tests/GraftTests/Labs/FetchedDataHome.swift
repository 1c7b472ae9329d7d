import Foundation
import Testing
@testable import GraftData
@testable import GraftLabs

/// The data folder a lab test reads a fetched data set from: the user's (`GRAFT_DATA`) when the
/// set is complete there, else a temporary folder that the project's own fetcher fills. The test
/// is cancelled, naming `what` and the fetcher's reason, when the set cannot be downloaded here.
struct FetchedDataHome {
    /// The folder to pass as the lab's data home.
    let url: URL
    /// Whether `url` is a temporary folder made for this test (removed by `remove()`).
    let isTemporary: Bool

    /// Finds or fetches `dataset`; `what` names it in the cancel message.
    init(_ dataset: String, what: String) throws {
        if LabData.missingFetched([dataset], dataHome: DataHome.directory).isEmpty {
            url = DataHome.directory
            isTemporary = false
            return
        }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("graft-\(dataset)-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        do { try DataFetcher(dataHome: home).fetch(dataset) } catch let error as FetchError where error.reason.contains("download") {
            try? FileManager.default.removeItem(at: home)
            try Test.cancel("\(what) is not in the data folder and cannot be downloaded here: \(error.reason)")
        }
        url = home
        isTemporary = true
    }

    /// Deletes the folder if it was made for this test (never the user's).
    func remove() {
        if isTemporary { try? FileManager.default.removeItem(at: url) }
    }
}
