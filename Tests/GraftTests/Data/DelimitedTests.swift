import Foundation
import Testing
@testable import GraftData

@Suite struct DelimitedTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func splitsPlainRowsWithAndWithoutHeader() throws {
        let t = try Delimited.parse(bytes("a,b,c\n1,2,3\r\n4,,6\n"), hasHeader: true, columns: .uniform)
        #expect(t.header == ["a", "b", "c"])
        #expect(t.rows == [["1", "2", "3"], ["4", "", "6"]] && t.lineNumbers == [2, 3])
        #expect(try t.column("c") == 2 && t.number(row: 1, column: 2) == 6)
        // No final newline, a trailing separator, blank lines skipped (or kept), a byte order mark.
        let u = try Delimited.parse(bytes("\u{FEFF}x;y;\n\n\r\nz"), separator: ";")
        #expect(u.header == nil && u.rows == [["x", "y", ""], ["z"]] && u.lineNumbers == [1, 4])
        let kept = try Delimited.parse(bytes("x\n\ny\n"), skipBlankLines: false)
        #expect(kept.rows == [["x"], [""], ["y"]])
        #expect(try Delimited.parse([]).rows.isEmpty)
        // Multi-byte UTF-8 survives splitting.
        let w = try Delimited.parse(bytes("Gen.1.1\tGod’s “light”\tÅngström 🌍\n"), separator: "\t")
        #expect(w.rows == [["Gen.1.1", "God’s “light”", "Ångström 🌍"]])
    }

    @Test func quotedFieldsFollowRFC4180() throws {
        let csv = "name,quote\n\"Smith, J.\",\"He said \"\"hi\"\"\"\n\"multi\nline\",x\r\n\"\",\"a\"\"\"\nplain\"quote,y\n"
        let t = try Delimited.parse(bytes(csv), hasHeader: true, columns: .exactly(2))
        #expect(t.rows == [["Smith, J.", "He said \"hi\""], ["multi\nline", "x"], ["", "a\""], ["plain\"quote", "y"]])
        #expect(t.lineNumbers == [2, 3, 5, 6])
        // A quoted last field at the end of the file, with and without "\r".
        #expect(try Delimited.parse(bytes("a,\"b\"")).rows == [["a", "b"]])
        #expect(try Delimited.parse(bytes("a,\"b\"\r")).rows == [["a", "b"]])
        // TSV does not quote by default; quoting can be asked for.
        #expect(try Delimited.parse(bytes("\"a\tb\"\n"), separator: "\t").rows == [["\"a", "b\""]])
        #expect(try Delimited.parse(bytes("\"a\tb\"\n"), separator: "\t", quoting: true).rows == [["a\tb"]])
        #expect(try Delimited.parse(bytes("\"a,b\"\n"), quoting: false).rows == [["\"a", "b\""]])
    }

    @Test func refusesWrongColumnCountsNamingTheLine() {
        let data = bytes("a,b,c\n1,2,3\n\n\"x\ny\",2\n")
        #expect(thrownText { try Delimited.parse(data, path: "t.csv", hasHeader: true, columns: .uniform) }
            == "t.csv: line 4: 2 fields, expected 3 (as in the header on line 1)")
        #expect(thrownText { try Delimited.parse(data, path: "t.csv", columns: .exactly(2)) }
            == "t.csv: line 1: 3 fields, expected 2 (required)")
        #expect(thrownText { try Delimited.parse(data, path: "t.csv", hasHeader: true, columns: .exactly(2)) }
            == "t.csv: line 1: the header has 3 fields, expected 2 (required)")
        #expect(thrownText { try Delimited.parse(bytes("1,2\n3\n"), path: "t.csv", columns: .uniform) }
            == "t.csv: line 2: 1 fields, expected 2 (as in the first row on line 1)")
        #expect(thrownText { try Delimited.parse(data, columns: .any) } == "accepted")
        #expect(thrownText { try Delimited.parse(bytes("\n\n"), path: "e.csv", hasHeader: true) } == "e.csv: empty file: expected a header row")
    }

    @Test func refusesBadQuotingAndBadText() {
        #expect(thrownText { try Delimited.parse(bytes("a,b\nc,\"open\nstill open\n"), path: "q.csv") }
            == "q.csv: line 2: unterminated quoted field opened at byte offset 6; the file ends inside it")
        #expect(thrownText { try Delimited.parse(bytes("a\n\"x\"y,z\n"), path: "q.csv") }
            .contains("q.csv: line 2: unexpected \"y\" at byte offset 5 after the closing quote"))
        var bad = bytes("ok,row\nbad,")
        bad += [0xC3, 0x28]   // a two-byte lead followed by an ASCII byte
        #expect(thrownText { try Delimited.parse(bad, path: "u.csv") }
                == "u.csv: invalid UTF-8 at byte offset 11 (line 2): bytes c3 28 do not begin a valid sequence")
        for invalid: [UInt8] in [[0x80], [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(thrownText { try Delimited.parse([0x41] + invalid, path: "u.csv") }.contains("invalid UTF-8 at byte offset 1"), "\(invalid)")
        }
        #expect(thrownText { try Delimited.parse(bytes("a"), separator: "\"") }.contains("separator"))
        #expect(thrownText { try Delimited.parse(bytes("a"), separator: "é") }.contains("separator"))
        #expect(thrownText { try Delimited.parse(bytes("a"), columns: .exactly(0)) }.contains("positive"))
        let t = try? Delimited.parse(bytes("h\nx\n"), path: "n.csv", hasHeader: true)
        #expect(thrownText { try t!.number(row: 0, column: 0) } == "n.csv: line 2: field 1 is \"x\", expected a finite number")
        #expect(thrownText { try t!.number(row: 0, column: 3) } == "n.csv: line 2: has 1 fields, no field 4")
        #expect(thrownText { try t!.column("nope") }.contains("no column \"nope\""))
    }

    @Test func readsGzipFilesAndNamesThem() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chatter = try DataLocation.bundledFile("dialogue/chatterbot_en_pairs.tsv.gz")
        let t = try Delimited.read(chatter, separator: "\t", hasHeader: true, columns: .exactly(3))
        #expect(t.header == ["category", "utterance", "response"] && t.rows.count == 2306)
        let packed = try [UInt8](Data(contentsOf: chatter))
        let cut = dir.appendingPathComponent("cut.tsv.gz")
        try Data(packed.prefix(packed.count / 2)).write(to: cut)
        #expect(thrownText { try Delimited.read(cut, separator: "\t") }.contains("\(cut.path): truncated gzip stream"))
        let plain = dir.appendingPathComponent("plain.csv")
        try Data("a,b\n1\n".utf8).write(to: plain)
        #expect(thrownText { try Delimited.read(plain, hasHeader: true, columns: .uniform) }
                == "\(plain.path): line 2: 1 fields, expected 2 (as in the header on line 1)")
    }
}

@Suite struct TextFileTests {
    @Test func splitsLines() throws {
        let text = Array("\u{FEFF}first\r\n\n  \t\nlast line ✓".utf8)
        #expect(try TextFile.parseLines(text) == ["first", "", "  \t", "last line ✓"])
        #expect(try TextFile.parseLines(text, dropEmptyLines: true) == ["first", "last line ✓"])
        #expect(try TextFile.parseLines(Array("a\n".utf8)) == ["a"])
        #expect(try TextFile.parseLines([]) == [])
        #expect(try TextFile.parseLines(Array("a\r\r\n".utf8)) == ["a\r"])
    }

    @Test func readsFilesAndRefusesBadOnes() throws {
        let names = try TextFile.lines(DataLocation.bundledFile("zsl/minilm_mnist_digit_names.txt"))
        #expect(names == ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
        let kjv = try TextFile.lines(DataLocation.bundledFile("text/kjv_web_aligned.tsv.gz"))
        #expect(kjv.count == 31_095 && kjv[0].hasPrefix("Gen.1.1\tIn the beginning God created"))
        #expect(thrownText { try TextFile.parseLines(Array("ok\nab".utf8) + [0xE2, 0x28, 0xA1], path: "x.txt") }
            == "x.txt: invalid UTF-8 at byte offset 5 (line 2): bytes e2 28 a1 do not begin a valid sequence")
        #expect(thrownText { try TextFile.lines(URL(fileURLWithPath: "/nonexistent/x.txt")) }.contains("/nonexistent/x.txt: cannot be read"))
    }
}
