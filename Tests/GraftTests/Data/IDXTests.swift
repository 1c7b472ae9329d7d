import Foundation
import Testing
@testable import Graft
@testable import GraftData

@Suite struct IDXTests {
    /// A 2x3 unsigned-byte IDX file.
    let small: [UInt8] = [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]

    func reason(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "accepted" } catch { return "\(error)" }
    }

    @Test func parsesEveryElementType() throws {
        let t = try IDX.parse(small)
        #expect(t.shape == [2, 3] && t.scalars == [1, 2, 3, 4, 5, 255])
        // Big-endian int32 and float32.
        let ints: [UInt8] = [0, 0, 0x0C, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0]
        #expect(try IDX.parse(ints).scalars == [-2, 256])
        let floats: [UInt8] = [0, 0, 0x0D, 1, 0, 0, 0, 1] + withUnsafeBytes(of: Float(1.5).bitPattern.bigEndian) { Array($0) }
        #expect(try IDX.parse(floats).scalars == [1.5])
    }

    @Test func refusesBadFilesWithWhereAndWhat() {
        #expect(reason { try IDX.parse([0, 0], path: "x.idx") }.contains("x.idx: truncated: 2 bytes"))
        #expect(reason { try IDX.parse([1, 0, 8, 1, 0, 0, 0, 1, 7]) }.contains("bad magic number 01000801 at offset 0"))
        #expect(reason { try IDX.parse([0, 0, 0x08, 2, 0, 0, 0]) }.contains("header declares 2 dimensions"))
        #expect(reason { try IDX.parse(Array(small.dropLast())) }.contains("truncated: shape [2, 3]"))
        #expect(reason { try IDX.parse(small + [9]) }.contains("trailing data"))
        for n in 0..<small.count { #expect(reason { try IDX.parse(Array(small.prefix(n))) } != "accepted") }
    }

    @Test func gzipRoundTripAndCorruption() throws {
        let mnistLabels = try DataLocation.bundledFile("mnist/mnist-t10k-labels-idx1-ubyte.gz")
        let packed = try [UInt8](Data(contentsOf: mnistLabels))
        #expect(Gzip.isGzip(packed))
        let plain = try Gzip.decompress(packed)
        #expect(plain.count == 8 + 10_000)
        #expect(reason { try Gzip.decompress(Array(packed.prefix(packed.count / 2)), path: "half.gz") }.contains("half.gz: truncated gzip stream"))
        var corrupt = packed
        for i in 20..<60 { corrupt[i] ^= 0x5a }
        #expect(reason { try Gzip.decompress(corrupt, path: "bad.gz") }.contains("bad.gz"))
    }

    @Test func mnistLoads() throws {
        let test = try MNIST.load(.test)
        #expect(test.images.shape == [10_000, 1, 28, 28] && test.count == 10_000)
        #expect(test.images.max().item == 1 && test.images.min().item == 0)
        // Every digit occurs, roughly a tenth each.
        var counts = [Int](repeating: 0, count: 10)
        for l in test.labels.scalars { counts[Int(l)] += 1 }
        #expect(counts.allSatisfy { (800...1200).contains($0) })
        #expect(reason { try MNIST.load(.test, directory: URL(fileURLWithPath: "/nonexistent")) }.contains("/nonexistent"))
    }
}
