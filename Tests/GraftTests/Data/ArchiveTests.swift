import Foundation
import Testing
@testable import GraftData

@Suite struct ArchiveTests {
    let zipURL = fixtureURL("archives/sample.zip")
    let bz2URL = fixtureURL("archives/sample.txt.bz2")

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Fed in uneven pieces, a million 'a's (FIPS 180-2, appendix B.3).
        var hash = SHA256()
        var fed = 0
        for piece in [1, 63, 64, 65, 1000, 7] .cycled(until: 1_000_000) { hash.update([UInt8](repeating: 0x61, count: piece)); fed += piece }
        #expect(fed == 1_000_000)
        #expect(hash.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func zipEntriesExtractToWhatPythonWrote() throws {
        let zip = try ZipArchive(contentsOf: zipURL)
        #expect(zip.entries.map(\.path) == ["a.txt", "dir/b.txt"])
        #expect(zip.entries.map(\.method) == [0, 8])
        #expect(String(decoding: try zip.extract("a.txt"), as: UTF8.self) == "stored entry\n")
        let expected = (0..<200).map { "line \($0) of a deflated entry\n" }.joined()
        #expect(String(decoding: try zip.extract("dir/b.txt"), as: UTF8.self) == expected)
        #expect(thrownText { try zip.extract("missing.txt") }.contains("no entry missing.txt"))
    }

    @Test func damagedZipsAreRefusedWithWhereAndWhat() throws {
        let bytes = [UInt8](try Data(contentsOf: zipURL))
        #expect(thrownText { try ZipArchive(bytes: Array(bytes.prefix(bytes.count - 30)), path: "cut.zip") }.contains("end-of-central-directory"))
        #expect(thrownText { try ZipArchive(bytes: Array(bytes.prefix(10)), path: "tiny.zip") }.contains("too short"))
        // Flip a byte inside the deflated entry's data: the CRC (or inflate) must catch it.
        let zip = try ZipArchive(bytes: bytes, path: "bad.zip")
        let entry = try #require(zip.entry("dir/b.txt"))
        var corrupt = bytes
        corrupt[entry.localHeaderOffset + 30 + "dir/b.txt".utf8.count + 5] ^= 0x55
        let message = thrownText { try ZipArchive(bytes: corrupt, path: "bad.zip").extract("dir/b.txt") }
        #expect(message.hasPrefix("bad.zip: dir/b.txt:"), "\(message)")
        // A stored entry with a changed byte fails its CRC.
        var changed = bytes
        let stored = try #require(zip.entry("a.txt"))
        changed[stored.localHeaderOffset + 30 + 5] ^= 0x01
        #expect(thrownText { try ZipArchive(bytes: changed, path: "bad.zip").extract("a.txt") }.contains("CRC-32 mismatch"))
    }

    @Test func bzip2DecompressesConcatenatedStreamsAndRefusesTruncation() throws {
        let bytes = [UInt8](try Data(contentsOf: bz2URL))
        let text = String(decoding: try BZip2.decompress(bytes, path: "sample.txt.bz2"), as: UTF8.self)
        #expect(text == (0..<300).map { "bzip2 line \($0)\n" }.joined() + "second stream\n")
        #expect(thrownText { try BZip2.decompress(Array(bytes.prefix(100)), path: "cut.bz2") }.contains("cut.bz2: truncated bzip2 stream"))
        var corrupt = bytes
        corrupt[40] ^= 0xff
        #expect(thrownText { try BZip2.decompress(corrupt, path: "bad.bz2") }.hasPrefix("bad.bz2:"))
    }
}

extension Array where Element == Int {
    /// The pieces repeated in turn, the last one cut, so that they add up to `total`.
    func cycled(until total: Int) -> [Int] {
        var out: [Int] = [], sum = 0, i = 0
        while sum < total { let piece = Swift.min(self[i % count], total - sum); out.append(piece); sum += piece; i += 1 }
        return out
    }
}
