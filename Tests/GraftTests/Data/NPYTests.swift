import Foundation
import Testing
@testable import Graft
@testable import GraftData

/// What a throwing call threw, as text, or "accepted".
func thrownText(_ body: () throws -> Any) -> String {
    do { _ = try body(); return "accepted" } catch { return "\(error)" }
}

/// A committed `.npy` fixture written by NumPy (scripts/make_npy_fixtures.py).
func npyFixture(_ name: String) -> URL { fixtureURL("npy/\(name)") }

@Suite struct NPYTests {
    /// A hand-written version 1.0 file: header text, padded to 64 bytes, then the data.
    func file(_ dict: String, data: [UInt8] = [], pad: Bool = true) -> [UInt8] {
        var text = Array(dict.utf8)
        if pad { while (10 + text.count + 1) % 64 != 0 { text.append(0x20) }; text.append(0x0A) }
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xff), UInt8(text.count >> 8)] + text + data
    }

    @Test func readsWhatNumPyWrote() throws {
        let f4 = try NPY.read(npyFixture("f4_2x3.npy"))
        #expect(f4.shape == [2, 3] && f4.scalars == [-0.5, -0.25, 0, 0.25, 0.5, 0.75])
        #expect(try NPY.read(npyFixture("f4_2x3.npy.gz")).scalars == f4.scalars)
        #expect(try NPY.read(npyFixture("f4_v2.npy")).scalars == f4.scalars)
        #expect(try NPY.read(npyFixture("f4_v3.npy")).scalars == f4.scalars)
        #expect(try NPY.read(npyFixture("f8_be.npy")).scalars == [1.5, -2.25, 0x1p100])
        #expect(try NPY.read(npyFixture("f8_le.npy")).scalars == [0.125, -3])
        #expect(try NPY.read(npyFixture("f8_inexact.npy")).scalars == [Float(0.1), .infinity])
        #expect(try NPY.read(npyFixture("f2.npy")).scalars == [0.5, -65504, Float(Float16(1.0 / 3))])
        let u1 = try NPY.read(npyFixture("u1_2x2x3.npy"))
        #expect(u1.shape == [2, 2, 3] && u1.scalars == (0..<12).map { Float($0 * 21 + 3) })
        #expect(try NPY.read(npyFixture("i1.npy")).scalars == [-128, -1, 0, 127])
        #expect(try NPY.read(npyFixture("i2.npy")).scalars == [-300, 2, 32767])
        #expect(try NPY.read(npyFixture("i2_be.npy")).scalars == [-300, 2, 32767])
        #expect(try NPY.read(npyFixture("u2.npy")).scalars == [0, 1, 65535])
        #expect(try NPY.read(npyFixture("i4.npy")).scalars == [-7, 8, 100_000, -2_147_483_648])
        #expect(try NPY.read(npyFixture("u4_be.npy")).scalars == [4_000_000_000, 1])
        #expect(try NPY.read(npyFixture("i8.npy")).scalars == [-0x1p40, 5, 0x1p24])
        #expect(try NPY.read(npyFixture("b1.npy")).scalars == [1, 0, 1])
        let scalar = try NPY.read(npyFixture("scalar.npy"))
        #expect(scalar.shape == [] && scalar.item == 7.5)
        #expect(try NPY.read(npyFixture("empty_0x2.npy")).shape == [0, 2])
        #expect(try NPY.read(npyFixture("big_first_axis.npy")).shape == [123_456_789, 0])
        #expect(try NPY.read(npyFixture("long_1d.npy")).scalars == (0..<100).map(Float.init))
    }

    @Test func rawReaderKeepsTypeAndBytes() throws {
        let raw = try NPY.readRaw(npyFixture("u1_2x2x3.npy"))
        #expect(raw.dtype == .uint8 && raw.shape == [2, 2, 3] && raw.data == (0..<12).map { UInt8($0 * 21 + 3) })
        let be = try NPY.readRaw(npyFixture("i2_be.npy"))
        #expect(be.dtype == NPY.DType.int16.withBigEndian(true) && be.dtype.descr == ">i2" && be.data.count == 6)
        #expect(be.data[0...1] == [0xfe, 0xd4])   // -300 big-endian
        #expect(be.tensor().scalars == [-300, 2, 32767])
    }

    @Test func dtypeStrings() {
        #expect(NPY.DType(descr: "<f4") == .float32 && NPY.DType(descr: "=f4") == .float32)
        #expect(NPY.DType(descr: "|u1") == .uint8 && NPY.DType(descr: "<u1") == .uint8 && NPY.DType(descr: ">u1") == .uint8)
        #expect(NPY.DType(descr: ">f8")?.bigEndian == true && NPY.DType(descr: ">f8")?.descr == ">f8")
        for bad in ["<c8", "|S5", "<U3", "|O", "|V16", "<f16", "<i3", "|f4", "f4", "", "<", "<b2", "<M8", "<f04", "<f+4"] {
            #expect(NPY.DType(descr: bad) == nil, "\(bad)")
        }
        #expect(NPY.DType.int8.withBigEndian(true).descr == "|i1")
    }

    @Test func writesTheExactBytesNumPyWrites() throws {
        let names = ["f4_2x3", "f8_be", "f8_le", "f2", "u1_2x2x3", "i1", "i2", "i2_be", "u2", "i4", "u4_be", "i8", "b1",
                     "scalar", "empty_0x2", "long_1d", "big_first_axis"]
        for name in names {
            let url = npyFixture("\(name).npy")
            let numpy = try [UInt8](Data(contentsOf: url))
            let raw = try NPY.readRaw(url)
            let mine = try NPY.serialize(NPY.read(url), dtype: raw.dtype)
            #expect(mine == numpy, "\(name)")
        }
    }

    @Test func writeIsAtomicAndRoundTrips() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("sub/x.npy")
        let t = Tensor((0..<24).map { Float($0) - 5.5 }, shape: [2, 3, 4])
        try NPY.write(t, to: url)
        #expect(try NPY.read(url).shape == [2, 3, 4] && NPY.read(url).scalars == t.scalars)
        // Overwriting leaves only the new file, no temporary beside it.
        let bytes = Tensor((0..<6).map(Float.init), shape: [6])
        try NPY.write(bytes, to: url, dtype: .uint8)
        #expect(try NPY.readRaw(url).dtype == .uint8 && NPY.read(url).scalars == bytes.scalars)
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["x.npy"])
        try NPY.write(Tensor([-1, 2]), to: url, dtype: NPY.DType.int32.withBigEndian(true))
        #expect(try NPY.readRaw(url).data == [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2])
        // The data starts on a 64-byte boundary and the header ends in a newline.
        let written = try [UInt8](Data(contentsOf: url))
        #expect((written.count - 8) % 64 == 0 && written[written.count - 9] == 0x0A)
    }

    @Test func refusesValuesTheTypeCannotHold() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.npy")
        #expect(thrownText { try NPY.write(Tensor([1, 256]), to: url, dtype: .uint8) }.contains("\(url.path): element 1 is 256.0"))
        #expect(thrownText { try NPY.write(Tensor([0.5]), to: url, dtype: .int32) }.contains("element 0 is 0.5"))
        #expect(thrownText { try NPY.write(Tensor([-1]), to: url, dtype: .uint16) }.contains("element 0 is -1.0"))
        #expect(thrownText { try NPY.write(Tensor([.nan]), to: url, dtype: .int64) }.contains("element 0 is nan"))
        #expect(thrownText { try NPY.write(Tensor([0, 2]), to: url, dtype: .bool) }.contains("expected 0 or 1"))
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func parsesHeadersRobustly() throws {
        let data: [UInt8] = [1, 2, 3, 4, 5, 6]
        // Keys in any order, odd whitespace, trailing commas, double quotes, Python 2 longs.
        let variants = [
            "{'shape': (2, 3), 'fortran_order': False, 'descr': '|u1'}",
            "{ 'descr' :'|u1' ,'fortran_order':False,'shape':( 2 ,3 , ) , }",
            "{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2L, 3L), }",
            "{'descr': '|u1',\n 'fortran_order': False,\t'shape': (2, 3)}",
        ]
        for v in variants {
            let t = try NPY.parse(file(v, data: data))
            #expect(t.shape == [2, 3] && t.scalars == [1, 2, 3, 4, 5, 6], "\(v)")
        }
        // Unpadded headers (older writers aligned to 16 bytes) are fine too.
        #expect(try NPY.parse(file("{'descr': '|u1', 'fortran_order': False, 'shape': (6,)}", data: data, pad: false)).shape == [6])
        #expect(try NPY.parse(file("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", data: [0, 0, 0x80, 0x3f])).item == 1)
    }

    @Test func refusesBadHeadersSayingWhereAndWhat() throws {
        let ok = "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }"
        func why(_ dict: String, data: [UInt8] = [7, 8]) -> String { thrownText { try NPY.parse(file(dict, data: data), path: "h.npy") } }
        #expect(why(ok) == "accepted")
        #expect(why("{'descr': '|u1', 'fortran_order': True, 'shape': (2,), }").contains("h.npy: bad header at offset 44: fortran_order is True"))
        #expect(why("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }").contains("offset 20: unsupported dtype '<c8'"))
        #expect(why("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }").contains("structured dtypes"))
        #expect(why("{'descr': '|u1', 'fortran_order': False}").contains("no key 'shape'"))
        #expect(why("{'descr': '|u1', 'shape': (2,)}").contains("no key 'fortran_order'"))
        #expect(why("{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (2,)}").contains("offset 27: the key 'descr' appears twice"))
        #expect(why("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'extra': 1}").contains("unexpected key 'extra'"))
        #expect(why("{'descr': '|u1', 'fortran_order': False, 'shape': (2)}").contains("'shape' must be a tuple"))
        #expect(why("{'descr': '|u1', 'fortran_order': False, 'shape': (2, -1)}").contains("negative dimension"))
        #expect(why("{'descr': '|u1', 'fortran_order': 0, 'shape': (2,)}").contains("'fortran_order' must be True or False"))
        #expect(why("{'descr': '|u1', 'fortran_order': Flase, 'shape': (2,)}").contains("unexpected word 'Flase'"))
        #expect(why("{'descr': '|u1' 'fortran_order': False, 'shape': (2,)}").contains("expected ',' or '}'"))
        #expect(why("{'descr': '|u1', 'fortran_order': False, 'shape': (2,)} x").contains("after the header dict"))
        #expect(why("{'descr: '|u1'}").contains("expected ':'"))
        #expect(why("'descr'").contains("offset 10: expected '{'"))
        #expect(why("{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999999999999,)}").contains("number too large"))
        #expect(why("{'descr': '|u1', 'fortran_order': False, 'shape': (4294967296, 4294967296)}").contains("too many elements"))
    }

    @Test func refusesCorruptFilesSayingWhereAndWhat() throws {
        let good = try [UInt8](Data(contentsOf: npyFixture("f4_2x3.npy")))
        func why(_ b: [UInt8]) -> String { thrownText { try NPY.parse(b, path: "c.npy") } }
        #expect(why(good) == "accepted")
        var badMagic = good; badMagic[1] = UInt8(ascii: "X")
        #expect(why(badMagic).contains("c.npy: bad magic string at offset 0: expected 93 4e 55 4d 50 59"))
        var badVersion = good; badVersion[6] = 4
        #expect(why(badVersion).contains("unsupported format version 4.0 at offset 6"))
        #expect(why(Array(good.prefix(4))).contains("truncated: 4 bytes"))
        #expect(why(Array(good.prefix(9))).contains("header length at offset 8"))
        #expect(why(Array(good.prefix(60))).contains("truncated header: declares 118 header bytes from offset 10, the file has 50"))
        #expect(why(Array(good.dropLast()))
            .contains("truncated data: shape [2, 3] of '<f4' needs 24 bytes after the header, which ends at offset 128; the file has 23"))
        #expect(why(good + [0]).contains("trailing data"))
        // Every truncation is refused with a message, never a crash.
        for n in 0..<good.count { #expect(why(Array(good.prefix(n))).hasPrefix("c.npy: "), "\(n) bytes") }
        // Random corruption of the header: refused or read, never a crash.
        let rng = RandomGenerator(seed: 3)
        for _ in 0..<300 {
            var b = good
            b[8 + rng.nextInt(below: 120)] = UInt8(truncatingIfNeeded: rng.next())
            _ = why(b)
        }
        // A gzip file cut short names the file.
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = try [UInt8](Data(contentsOf: npyFixture("f4_2x3.npy.gz")))
        let cut = dir.appendingPathComponent("cut.npy.gz")
        try Data(gz.prefix(gz.count - 12)).write(to: cut)
        #expect(thrownText { try NPY.read(cut) }.contains("\(cut.path): truncated gzip stream"))
        #expect(thrownText { try NPY.read(dir.appendingPathComponent("missing.npy")) }.contains("missing.npy: cannot be read"))
        #expect(thrownText { try NPY.read(npyFixture("fortran.npy")) }.contains("fortran.npy: bad header at offset 44: fortran_order is True"))
    }
}
