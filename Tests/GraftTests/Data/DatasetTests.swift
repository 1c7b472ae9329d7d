import Foundation
import Testing
@testable import Graft
@testable import GraftData

/// The loaders of the bundled data sets, on the real files and on damaged copies.
@Suite struct DatasetTests {
    /// Writes `text` as the file `name` in `dir`.
    func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func digits8x8() throws {
        let d = try Digits8x8.load()
        #expect(d.images.shape == [1797, 1, 8, 8] && d.labels.shape == [1797] && d.count == 1797)
        #expect(d.images.min().item == 0 && d.images.max().item == 1)
        // The first image of scikit-learn's load_digits is a zero: 0,0,5,13,9,1,0,0 on row 0.
        #expect(Array(d.images.scalars[0..<8]) == [0, 0, 5, 13, 9, 1, 0, 0].map { Float($0) / 16 })
        #expect(d.labels.scalars[0] == 0 && d.labels.scalars[1] == 1)
        var counts = [Int](repeating: 0, count: 10)
        for l in d.labels.scalars { counts[Int(l)] += 1 }
        #expect(counts.allSatisfy { (170...190).contains($0) })

        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let row = Array(repeating: "0", count: 64).joined(separator: ",")
        let short = try write("\(row),3\n", "short.csv", in: dir)
        #expect(thrownText { try Digits8x8.load(from: short) } == "\(short.path): expected 1797 rows of digits, found 1")
        let badPixel = try write("\(row),3\n" + row.replacingOccurrences(of: "0,0,0", with: "0,17,0", options: .anchored) + ",3\n"
                                 + String(repeating: "\(row),3\n", count: 1795), "pix.csv", in: dir)
        #expect(thrownText { try Digits8x8.load(from: badPixel) }.contains("\(badPixel.path): line 2: pixel 2 is 17"))
        let narrow = try write("1,2,3\n", "narrow.csv", in: dir)
        #expect(thrownText { try Digits8x8.load(from: narrow) } == "\(narrow.path): line 1: 3 fields, expected 65 (required)")
    }

    @Test func photoBank() throws {
        let bank = try PhotoBank.load()
        #expect(bank.photos.shape == [32, 192, 192, 3] && bank.count == 32)
        #expect(bank.photos.min().item >= 0 && bank.photos.max().item <= 255 && bank.photos.max().item > 200)
        #expect(bank.photos.scalars.allSatisfy { $0 == $0.rounded() })
        #expect(bank.names.count == 32 && bank.names[0] == "palapeli-data__cincinnati-bridge.jpg")
        #expect(bank.licences[30].hasPrefix("CC BY 2.0"))

        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try NPY.write(Tensor.zeros([2, 8, 8, 3]), to: dir.appendingPathComponent("photos_192.npy.gz"), dtype: .uint8)
        #expect(thrownText { try PhotoBank.load(directory: dir) }
            .contains("photos_192.npy.gz: expected uint8 photos of shape [32, 192, 192, 3], found '|u1' of shape [2, 8, 8, 3]"))
    }

    @Test func bibleVerses() throws {
        let verses = try BibleVerses.load()
        #expect(verses.count == 31_095)
        #expect(verses[0] == BibleVerses.Verse(reference: "Gen.1.1", kjv: "In the beginning God created the heaven and the earth.",
                                               web: "In the beginning, God created the heavens and the earth."))
        #expect(verses.allSatisfy { !$0.kjv.isEmpty && !$0.web.isEmpty })
        #expect(verses.last!.reference.hasPrefix("Rev.22."))

        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try write("Gen.1.1\ta\tb\nGen.1.2\tonly two\n", "v.tsv", in: dir)
        #expect(thrownText { try BibleVerses.load(from: bad) } == "\(bad.path): line 2: 2 fields, expected 3 (required)")
        let few = try write("Gen.1.1\ta\tb\n", "few.tsv", in: dir)
        #expect(thrownText { try BibleVerses.load(from: few) } == "\(few.path): expected 31095 verses, found 1")
    }

    @Test func chatterBotPairs() throws {
        let pairs = try ChatterBotPairs.load()
        #expect(pairs.count == 2_306)
        #expect(pairs[0].category == "ai" && pairs[0].utterance == "What is AI?")
        #expect(Set(pairs.map(\.category)).count == 21)

        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try write("topic\tsay\treply\nai\thi\thello\n", "p.tsv", in: dir)
        #expect(thrownText { try ChatterBotPairs.load(from: bad) }.contains("\(bad.path): line 1: expected the header"))
    }

    @Test func classNameEmbeddings() throws {
        for set in ClassNameEmbeddings.Set.allCases {
            let e = try ClassNameEmbeddings.load(set)
            #expect(e.names.count == set.expectedCount && e.vectors.shape == [set.expectedCount, 384], "\(set)")
        }
        let digits = try ClassNameEmbeddings.load(.mnistDigits)
        #expect(digits.names.first == "zero" && digits.names.last == "nine")
        // Unit rows: the Gram matrix has ones on its diagonal; distinct names are not identical.
        let gram = digits.vectors.matmul(digits.vectors.transpose())
        for i in 0..<10 { #expect(abs(gram[i, i] - 1) < 1e-4) }
        #expect(gram[0, 1] < 0.99)
        let zoo = try ClassNameEmbeddings.load(.uciZoo)
        #expect(zoo.names == (try UCIZoo.load()).names)

        // A names file that does not match the vectors is refused, naming the file.
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stem = "minilm_mnist_digit_names"
        _ = try write((0..<10).map { "n\($0)" }.joined(separator: "\n") + "\n", "\(stem).txt", in: dir)
        try NPY.write(Tensor.zeros([9, 384]), to: dir.appendingPathComponent("\(stem).npy.gz"))
        #expect(thrownText { try ClassNameEmbeddings.load(.mnistDigits, directory: dir) }
            .contains("\(stem).npy.gz: expected embeddings of shape [10, 384] (one row per name in \(stem).txt), found [9, 384]"))
        try NPY.write(Tensor.zeros([10, 384]), to: dir.appendingPathComponent("\(stem).npy.gz"))
        #expect(thrownText { try ClassNameEmbeddings.load(.mnistDigits, directory: dir) }.contains("row 0 (n0) has length 0.0, expected unit length"))
        _ = try write("a\nb\n", "\(stem).txt", in: dir)
        #expect(thrownText { try ClassNameEmbeddings.load(.mnistDigits, directory: dir) }.contains("\(stem).txt: expected 10 class names, found 2"))
    }

    @Test func uciZoo() throws {
        let zoo = try UCIZoo.load()
        #expect(zoo.names.count == 101 && zoo.attributes.shape == [101, 16] && zoo.types.shape == [101])
        #expect(zoo.names[0] == "aardvark" && zoo.attributeNames.first == "hair" && zoo.attributeNames.last == "catsize")
        #expect(zoo.typeNames == ["mammal", "bird", "reptile", "fish", "amphibian", "insect", "invertebrate"])
        // aardvark: hair, milk, predator, toothed, backbone, breathes, 4 legs, catsize; a mammal.
        #expect(Array(zoo.attributes.scalars[0..<16]) == [1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 4, 0, 0, 1] && zoo.types.scalars[0] == 0)
        var counts = [Int](repeating: 0, count: 7)
        for t in zoo.types.scalars { counts[Int(t)] += 1 }
        #expect(counts == [41, 20, 5, 13, 4, 8, 10])

        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try String(contentsOf: DataLocation.bundledFile("zsl/uci_zoo_attributes.csv"), encoding: .utf8)
        let badType = try write(original.replacingOccurrences(of: "antelope,1,0,0,1,0,0,0,1,1,1,0,0,4,1,0,1,mammal",
                                                              with: "antelope,1,0,0,1,0,0,0,1,1,1,0,0,4,1,0,1,robot"),
                                "t.csv", in: dir)
        #expect(thrownText { try UCIZoo.load(from: badType) }.contains("\(badType.path): line 3: type \"robot\" is not one of"))
        let badValue = try write(original.replacingOccurrences(of: "antelope,1,0,0,1,", with: "antelope,1,0,x,1,"), "v.csv", in: dir)
        #expect(thrownText { try UCIZoo.load(from: badValue) } == "\(badValue.path): line 3: field 4 is \"x\", expected a finite number")
    }
}
