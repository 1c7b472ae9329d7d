import Foundation
import Graft

/// The IDX format of MNIST (LeCun et al.): a magic number 0x0000TTNN (TT the element type,
/// NN the number of dimensions), NN big-endian 32-bit sizes, then the elements big-endian.
public enum IDX {
    /// Element sizes by type code: unsigned byte, signed byte, short, int, float, double.
    static let typeSizes: [UInt8: Int] = [0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8]

    /// Reads an IDX file (gzip or not) as a Float tensor with the file's shape.
    public static func read(_ url: URL) throws -> Tensor {
        try parse(Gzip.readFile(url), path: url.path)
    }

    /// Parses IDX bytes; `path` names the source in errors.
    public static func parse(_ b: [UInt8], path: String = "<memory>") throws -> Tensor {
        guard b.count >= 4 else { throw DataError(path, "truncated: \(b.count) bytes, an IDX header needs at least 4") }
        guard b[0] == 0, b[1] == 0, let size = typeSizes[b[2]] else {
            throw DataError(path, String(format: "bad magic number %02x%02x%02x%02x at offset 0 "
                                                 + "(expected 0000TTNN with TT in 08,09,0B,0C,0D,0E)", b[0], b[1], b[2], b[3]))
        }
        let rank = Int(b[3])
        let headerEnd = 4 + 4 * rank
        guard b.count >= headerEnd else { throw DataError(path, "truncated: header declares \(rank) dimensions, file has \(b.count) bytes") }
        var shape: [Int] = []
        var count = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let v = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
            shape.append(v)
            let (c, overflow) = count.multipliedReportingOverflow(by: v)
            guard !overflow else { throw DataError(path, "dimension sizes overflow at offset \(o)") }
            count = c
        }
        let needed = headerEnd + count * size
        guard b.count == needed else {
            throw DataError(path, "\(b.count < needed ? "truncated" : "trailing data"): shape \(shape) of \(size)-byte elements "
                                  + "needs \(needed) bytes, file has \(b.count)")
        }
        var values = [Float](repeating: 0, count: count)
        b.withUnsafeBytes { raw in
            let p = raw.baseAddress! + headerEnd
            switch b[2] {
            case 0x08: for i in 0..<count { values[i] = Float(p.load(fromByteOffset: i, as: UInt8.self)) }
            case 0x09: for i in 0..<count { values[i] = Float(p.load(fromByteOffset: i, as: Int8.self)) }
            case 0x0B: for i in 0..<count { values[i] = Float(Int16(bigEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
            case 0x0C: for i in 0..<count { values[i] = Float(Int32(bigEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
            case 0x0D:
                for i in 0..<count { values[i] = Float(bitPattern: UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            default:
                for i in 0..<count {
                    values[i] = Float(Double(bitPattern: UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            }
        }
        return Tensor(values, shape: shape)
    }
}
