import Foundation
import Testing
@testable import GraftData

@Suite struct VocabularyTests {
    let corpus = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat", "", "<unk>"]]

    func reason(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "accepted" } catch { return "\(error)" }
    }

    /// A fresh folder for this test's files.
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func buildsMostFrequentFirstWithDeterministicTies() throws {
        let v = Vocabulary(building: corpus)
        // the, cat, sat twice; dog, a once. Empty strings and special tokens are not counted.
        #expect(v.tokens == ["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat", "sat", "dog", "a"])
        #expect(v.count == 9 && v.padIndex == 0 && v.unknownIndex == 1 && v.beginIndex == 2 && v.endIndex == 3)
        let alpha = Vocabulary(building: corpus, tieBreak: .alphabetical)
        #expect(alpha.tokens == ["<pad>", "<unk>", "<bos>", "<eos>", "cat", "sat", "the", "a", "dog"])
        #expect(Vocabulary(building: corpus, minFrequency: 2).tokens.dropFirst(4) == ["the", "cat", "sat"])
        // maxSize counts the special tokens, which are always kept.
        #expect(Vocabulary(building: corpus, maxSize: 6).tokens == ["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat"])
        #expect(Vocabulary(building: corpus, maxSize: 2).tokens == ["<pad>", "<unk>", "<bos>", "<eos>"])
        #expect(Vocabulary(building: [[String]]()).count == 4)
        // The same data gives the same vocabulary; alphabetical ties do not depend on order.
        #expect(Vocabulary(building: corpus) == v)
        #expect(Vocabulary(building: corpus.reversed(), tieBreak: .alphabetical) == alpha)
    }

    @Test func encodesAndDecodes() {
        let v = Vocabulary(building: corpus)
        #expect(v.index(of: "cat") == 5 && v.index(of: "zebra") == nil && v.contains("dog") && !v.contains(""))
        #expect(v.token(at: 7) == "dog" && v.token(at: 9) == nil && v.token(at: -1) == nil)
        #expect(v.encode(["the", "zebra", "sat"]) == [4, 1, 6])
        #expect(v.encode(["the", "cat"], addBOS: true, addEOS: true) == [2, 4, 5, 3])
        #expect(v.encode([], addEOS: true) == [3])
        let ids = [2, 4, 1, 6, 3, 0, 0]
        #expect(v.decode(ids) == ["<bos>", "the", "<unk>", "sat", "<eos>", "<pad>", "<pad>"])
        // Stripping keeps <unk>, which stands for a real word; bad ids decode as <unk>.
        #expect(v.decode(ids, stripSpecial: true) == ["the", "<unk>", "sat"])
        #expect(v.decode([4, 99, -3]) == ["the", "<unk>", "<unk>"])
    }

    @Test func customSpecialTokens() throws {
        let specials = try SpecialTokens(["<unk>", "<pad>", "<s>", "</s>", "<mask>"], pad: "<pad>", unknown: "<unk>", begin: "<s>", end: "</s>")
        let v = Vocabulary(building: [["<mask>", "x", "x", "y"]], specials: specials)
        #expect(v.tokens == ["<unk>", "<pad>", "<s>", "</s>", "<mask>", "x", "y"])
        #expect(v.unknownIndex == 0 && v.padIndex == 1 && v.beginIndex == 2 && v.endIndex == 3)
        #expect(v.encode(["x", "q"], addBOS: true) == [2, 5, 0])
        #expect(v.decode([2, 5, 4, 1, 0], stripSpecial: true) == ["x", "<unk>"])
        #expect(reason { try SpecialTokens(["<pad>", "<unk>", "<bos>"]) }.contains("the end token \"<eos>\" is not among the special tokens"))
        #expect(reason { try SpecialTokens(["<pad>", "<unk>", "<bos>", "<eos>", "<pad>"]) }
            .contains("special token 4 \"<pad>\" repeats special token 0"))
        #expect(reason { try SpecialTokens(["<pad>", "", "<unk>", "<bos>", "<eos>"]) }.contains("special token 1 is empty"))
        #expect(try SpecialTokens() == .standard)
    }

    @Test func explicitTokenListsAreChecked() throws {
        let v = try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "a", "b"])
        #expect(v.index(of: "b") == 5)
        #expect(reason { try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "a", "a"]) }
            .contains("token 6: duplicate token \"a\" (first on token 5)"))
        #expect(reason { try Vocabulary(tokens: ["<unk>", "<pad>", "<bos>", "<eos>"]) }
            .contains("token 1: expected special token \"<pad>\", found \"<unk>\""))
        #expect(reason { try Vocabulary(tokens: ["<pad>", "<unk>"]) }.contains("has 2 tokens, fewer than the 4 special tokens"))
        #expect(reason { try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "a\nb"]) }
            .contains("token 5: the token \"a\\nb\" contains a line break"))
    }

    @Test func savesAndLoadsPlainText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = WordTokenizer(lowercased: true)
        let v = Vocabulary(building: ["Don't panic, Σοφία!", "Café — 3.14 👍🏽 don't"].map(tokenizer.tokenize))
        let url = folder.appendingPathComponent("vocab.txt")
        try v.save(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == v.tokens.joined(separator: "\n") + "\n")
        #expect(text.hasPrefix("<pad>\n<unk>\n<bos>\n<eos>\ndon't\n"))
        #expect(try Vocabulary.load(from: url) == v)
        // CRLF line ends, a byte order mark and a missing final line end are accepted.
        #expect(try Vocabulary.parse(Array("\u{FEFF}<pad>\r\n<unk>\r\n<bos>\r\n<eos>\r\nword".utf8)).tokens.last == "word")
        // Loading with other special tokens than the file's is refused.
        let specials = try SpecialTokens(["<unk>", "<pad>", "<bos>", "<eos>"])
        #expect(reason { try Vocabulary.load(from: url, specials: specials) }
            .contains("\(url.path): line 1: expected special token \"<unk>\", found \"<pad>\""))
        // A token that cannot stand on a line is refused when saving, naming its index.
        let bad = Vocabulary(building: [["ok", "two\nlines"]])
        #expect(reason { try bad.save(to: folder.appendingPathComponent("bad.txt")) }
            .contains("bad.txt: cannot be written: token 5 \"two\\nlines\" contains a line break"))
        #expect(reason { try v.save(to: folder.appendingPathComponent("missing/v.txt")) }.contains("missing/v.txt: cannot be written"))
    }

    @Test func loadErrorsNameFileAndLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func load(_ text: [UInt8]) -> String {
            let url = folder.appendingPathComponent("v-\(UUID().uuidString).txt")
            do { try Data(text).write(to: url) } catch { return "write failed" }
            return reason { try Vocabulary.load(from: url) }.replacingOccurrences(of: url.path, with: "FILE")
        }
        let head = "<pad>\n<unk>\n<bos>\n<eos>\n"
        #expect(load(Array((head + "a\nb\na\n").utf8)) == "FILE: line 7: duplicate token \"a\" (first on line 5)")
        #expect(load(Array((head + "a\n\nb\n").utf8)) == "FILE: line 6 is empty (every line must hold one token)")
        #expect(load(Array((head + "a\n\n").utf8)) == "FILE: line 6 is empty (every line must hold one token)")
        #expect(load(Array((head + "a\r\n\r\n").utf8)) == "FILE: line 6 is empty (every line must hold one token)")
        #expect(load(Array(head.utf8) + [0x61, 0x0A, 0xFF, 0xFE, 0x0A]) == "FILE: line 6 is not valid UTF-8")
        #expect(load(Array("<pad>\n<bos>\n".utf8))
                == "FILE: has 2 lines, fewer than the 4 special tokens [\"<pad>\", \"<unk>\", \"<bos>\", \"<eos>\"]")
        #expect(load([]).contains("has 0 lines"))
        #expect(load(Array("<pad>\n<unk>\n<eos>\n<bos>\n".utf8)) == "FILE: line 3: expected special token \"<bos>\", found \"<eos>\"")
        #expect(load(Array((head + "x\n<unk>\n").utf8)) == "FILE: line 6: duplicate token \"<unk>\" (first on line 2)")
        #expect(reason { try Vocabulary.load(from: folder.appendingPathComponent("absent.txt")) }.contains("absent.txt: cannot be read"))
    }

    @Test func bibleVocabulary() throws {
        let bytes = try Gzip.readFile(DataLocation.bundledFile("text/kjv_web_aligned.tsv.gz"))
        let verses = String(decoding: bytes, as: UTF8.self).split(separator: "\n").prefix(2000)
            .compactMap { $0.split(separator: "\t").last.map(String.init) }
        let tokenizer = WordTokenizer(lowercased: true)
        let sequences = verses.map(tokenizer.tokenize)
        let v = Vocabulary(building: sequences, minFrequency: 2, maxSize: 1000)
        #expect(v.count == 1000)
        // The most frequent tokens of English prose come first.
        #expect(Set(v.tokens[4..<8]).isSuperset(of: ["the", ","]))
        var unknown = 0, total = 0
        for tokens in sequences {
            let ids = v.encode(tokens, addBOS: true, addEOS: true)
            #expect(ids.first == v.beginIndex && ids.last == v.endIndex && ids.count == tokens.count + 2)
            let back = v.decode(ids, stripSpecial: true)
            #expect(zip(back, tokens).allSatisfy { $0 == $1 || $0 == "<unk>" })
            unknown += ids.filter { $0 == v.unknownIndex }.count
            total += tokens.count
        }
        // 1000 types cover most running words.
        #expect(unknown > 0 && unknown * 10 < total, "\(unknown) of \(total) tokens unknown")
    }
}
