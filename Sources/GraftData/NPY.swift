import Foundation
import Graft

/// NumPy's `.npy` format: the magic string "\x93NUMPY", a format version (1.0, 2.0 or 3.0),
/// the header's length (2 bytes little-endian in 1.0, 4 bytes after), a header that is the
/// Python literal of a dict with the keys 'descr', 'fortran_order' and 'shape', then the
/// elements. Graft reads and writes C-order arrays of booleans, integers and floats; files
/// compressed with gzip are read transparently.
public enum NPY {
    /// An element type: a kind, a size in bytes and a byte order (NumPy's `descr`, e.g. '<f4').
    public struct DType: Hashable, Sendable, CustomStringConvertible {
        /// What the bytes of an element mean.
        public enum Kind: Character, Sendable {
            /// NumPy's bool: one byte, 0 or 1.
            case bool = "b"
            /// A two's-complement signed integer.
            case signed = "i"
            /// An unsigned integer.
            case unsigned = "u"
            /// An IEEE 754 binary float (half, single or double).
            case float = "f"
        }

        /// What the bytes mean.
        public let kind: Kind
        /// Bytes per element.
        public let size: Int
        /// Whether multi-byte elements are stored most significant byte first ('>').
        public let bigEndian: Bool

        /// A supported type, or nil (bool has 1 byte; integers 1, 2, 4 or 8; floats 2, 4 or 8).
        /// Single-byte types have no byte order: `bigEndian` is ignored for them.
        public init?(kind: Kind, size: Int, bigEndian: Bool = false) {
            switch kind {
            case .bool: guard size == 1 else { return nil }
            case .signed, .unsigned: guard [1, 2, 4, 8].contains(size) else { return nil }
            case .float: guard [2, 4, 8].contains(size) else { return nil }
            }
            self.kind = kind
            self.size = size
            self.bigEndian = size > 1 && bigEndian
        }

        /// Parses NumPy's type string: a byte order ('<' little, '>' big, '|' not applicable,
        /// '=' native, i.e. little on the platforms Graft runs on), a kind letter and a size.
        public init?(descr: String) {
            let chars = Array(descr.utf8)
            guard chars.count >= 3, let order = chars.first, let kind = Kind(rawValue: Character(Unicode.Scalar(chars[1]))) else { return nil }
            let sizeText = String(decoding: chars[2...], as: UTF8.self)
            guard let size = Int(sizeText), String(size) == sizeText else { return nil }
            switch order {
            case UInt8(ascii: "<"), UInt8(ascii: "="): self.init(kind: kind, size: size, bigEndian: false)
            case UInt8(ascii: ">"): self.init(kind: kind, size: size, bigEndian: true)
            case UInt8(ascii: "|"):
                guard size == 1 else { return nil }
                self.init(kind: kind, size: size)
            default: return nil
            }
        }

        /// The type string NumPy writes: '|u1' for single bytes, else '<' or '>', kind and size.
        public var descr: String {
            (size == 1 ? "|" : bigEndian ? ">" : "<") + String(kind.rawValue) + String(size)
        }

        /// The same type stored most (true) or least (false) significant byte first.
        public func withBigEndian(_ flag: Bool) -> DType { DType(kind: kind, size: size, bigEndian: flag)! }

        /// `descr`.
        public var description: String { descr }

        /// NumPy's bool ('|b1').
        public static let bool = DType(kind: .bool, size: 1)!
        /// Unsigned byte ('|u1').
        public static let uint8 = DType(kind: .unsigned, size: 1)!
        /// Signed byte ('|i1').
        public static let int8 = DType(kind: .signed, size: 1)!
        /// Little-endian uint16 ('<u2').
        public static let uint16 = DType(kind: .unsigned, size: 2)!
        /// Little-endian int16 ('<i2').
        public static let int16 = DType(kind: .signed, size: 2)!
        /// Little-endian uint32 ('<u4').
        public static let uint32 = DType(kind: .unsigned, size: 4)!
        /// Little-endian int32 ('<i4').
        public static let int32 = DType(kind: .signed, size: 4)!
        /// Little-endian uint64 ('<u8').
        public static let uint64 = DType(kind: .unsigned, size: 8)!
        /// Little-endian int64 ('<i8').
        public static let int64 = DType(kind: .signed, size: 8)!
        /// Little-endian half ('<f2').
        public static let float16 = DType(kind: .float, size: 2)!
        /// Little-endian float ('<f4').
        public static let float32 = DType(kind: .float, size: 4)!
        /// Little-endian double ('<f8').
        public static let float64 = DType(kind: .float, size: 8)!
    }

    /// An array as stored: its type, its shape and its element bytes in the file's byte order.
    public struct RawArray: Sendable, Equatable {
        /// The element type.
        public let dtype: DType
        /// The shape (`[]` for a scalar).
        public let shape: [Int]
        /// The elements' bytes, `count * dtype.size` of them, in row-major order.
        public let data: [UInt8]

        /// The number of elements.
        public var count: Int { shape.reduce(1, *) }

        /// The elements as a Float tensor of the same shape (64-bit integers above 2^24 and
        /// doubles are rounded to the nearest Float; booleans become 0 and 1).
        public func tensor() -> Tensor {
            let t = Tensor.zeros(shape)
            guard count > 0 else { return t }
            data.withUnsafeBytes { raw in
                t.withUnsafeMutableBufferPointer { NPY.decode(raw.baseAddress!, dtype: dtype, count: count, into: $0.baseAddress!) }
            }
            return t
        }
    }

    /// A parsed header: the element type, the shape and where the elements start.
    struct Header {
        let dtype: DType
        let shape: [Int]
        let count: Int
        let dataOffset: Int
    }

    /// Reads a `.npy` file (gzip or not) as a Float tensor with the file's shape.
    public static func read(_ url: URL) throws -> Tensor {
        try parse(Gzip.readFile(url), path: url.path)
    }

    /// Reads a `.npy` file (gzip or not) without converting its elements.
    public static func readRaw(_ url: URL) throws -> RawArray {
        try parseRaw(Gzip.readFile(url), path: url.path)
    }

    /// Parses `.npy` bytes as a Float tensor; `path` names the source in errors.
    public static func parse(_ bytes: [UInt8], path: String = "<memory>") throws -> Tensor {
        let h = try parseHeader(bytes, path: path)
        let t = Tensor.zeros(h.shape)
        guard h.count > 0 else { return t }
        bytes.withUnsafeBytes { raw in
            t.withUnsafeMutableBufferPointer { decode(raw.baseAddress! + h.dataOffset, dtype: h.dtype, count: h.count, into: $0.baseAddress!) }
        }
        return t
    }

    /// Parses `.npy` bytes without converting the elements; `path` names the source in errors.
    public static func parseRaw(_ bytes: [UInt8], path: String = "<memory>") throws -> RawArray {
        let h = try parseHeader(bytes, path: path)
        return RawArray(dtype: h.dtype, shape: h.shape, data: Array(bytes[h.dataOffset...]))
    }

    /// Checks the magic string, the version and the header, and that the elements fill the
    /// rest of the file exactly.
    static func parseHeader(_ b: [UInt8], path: String) throws -> Header {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard b.count >= magic.count, Array(b[0..<magic.count]) == magic else {
            if b.count < magic.count && Array(magic[0..<b.count]) == b {
                throw DataError(path, "truncated: \(b.count) bytes, the magic string \\x93NUMPY at offset 0 needs 6")
            }
            let shown = b.prefix(6).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw DataError(path, "bad magic string at offset 0: expected 93 4e 55 4d 50 59 (\\x93NUMPY), found \(shown)")
        }
        guard b.count >= 8 else { throw DataError(path, "truncated: \(b.count) bytes, the format version at offset 6 needs 8") }
        let lengthSize: Int
        switch (b[6], b[7]) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        default: throw DataError(path, "unsupported format version \(b[6]).\(b[7]) at offset 6 (expected 1.0, 2.0 or 3.0)")
        }
        let start = 8 + lengthSize
        guard b.count >= start else {
            throw DataError(path, "truncated: \(b.count) bytes, the \(lengthSize)-byte header length at offset 8 needs \(start)")
        }
        var headerLength = 0
        for k in 0..<lengthSize { headerLength |= Int(b[8 + k]) << (8 * k) }
        let end = start + headerLength
        guard b.count >= end else {
            throw DataError(path, "truncated header: declares \(headerLength) header bytes from offset \(start), the file has \(b.count - start)")
        }
        var parser = NPYHeaderParser(bytes: b, position: start, end: end, path: path)
        let (dtype, shape) = try parser.parse()
        var count = 1
        for d in shape {
            let (c, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw DataError(path, "shape \(shape) in the header at offset \(start) has too many elements") }
            count = c
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw DataError(path, "shape \(shape) in the header at offset \(start) has too many elements") }
        let available = b.count - end
        guard available == needed else {
            throw DataError(path, "\(available < needed ? "truncated data" : "trailing data"): shape \(shape) of '\(dtype.descr)' "
                                  + "needs \(needed) bytes after the header, which ends at offset \(end); the file has \(available)")
        }
        return Header(dtype: dtype, shape: shape, count: count, dataOffset: end)
    }

    /// Converts `count` elements of `dtype` at `base` to Float.
    static func decode(_ base: UnsafeRawPointer, dtype: DType, count: Int, into out: UnsafeMutablePointer<Float>) {
        let big = dtype.bigEndian
        @inline(__always) func load<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            let v = base.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            return big ? T(bigEndian: v) : T(littleEndian: v)
        }
        switch (dtype.kind, dtype.size) {
        case (.bool, _): for i in 0..<count { out[i] = base.load(fromByteOffset: i, as: UInt8.self) == 0 ? 0 : 1 }
        case (.unsigned, 1): for i in 0..<count { out[i] = Float(base.load(fromByteOffset: i, as: UInt8.self)) }
        case (.signed, 1): for i in 0..<count { out[i] = Float(base.load(fromByteOffset: i, as: Int8.self)) }
        case (.unsigned, 2): for i in 0..<count { out[i] = Float(load(i, UInt16.self)) }
        case (.signed, 2): for i in 0..<count { out[i] = Float(load(i, Int16.self)) }
        case (.unsigned, 4): for i in 0..<count { out[i] = Float(load(i, UInt32.self)) }
        case (.signed, 4): for i in 0..<count { out[i] = Float(load(i, Int32.self)) }
        case (.unsigned, _): for i in 0..<count { out[i] = Float(load(i, UInt64.self)) }
        case (.signed, _): for i in 0..<count { out[i] = Float(load(i, Int64.self)) }
        case (.float, 2): for i in 0..<count { out[i] = Float(Float16(bitPattern: load(i, UInt16.self))) }
        case (.float, 4): for i in 0..<count { out[i] = Float(bitPattern: load(i, UInt32.self)) }
        case (.float, _): for i in 0..<count { out[i] = Float(Double(bitPattern: load(i, UInt64.self))) }
        }
    }

    /// The header NumPy writes for a C-order array: the dict with its keys sorted, spare
    /// spaces so the first axis can grow to 21 digits, then spaces and a newline that make
    /// the data start at a multiple of 64 bytes; version 1.0 unless the header needs 2.0.
    static func header(dtype: DType, shape: [Int]) -> [UInt8] {
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        if let first = shape.first { dict += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        let text = Array(dict.utf8)
        let withNewline = text.count + 1
        var lengthSize = 2
        var padding = 64 - (8 + lengthSize + withNewline) % 64
        if withNewline + padding > Int(UInt16.max) {
            lengthSize = 4
            padding = 64 - (8 + lengthSize + withNewline) % 64
        }
        let total = withNewline + padding
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [lengthSize == 2 ? 1 : 2, 0]
        for k in 0..<lengthSize { out.append(UInt8(truncatingIfNeeded: total >> (8 * k))) }
        out += text
        out += [UInt8](repeating: 0x20, count: padding)
        out.append(0x0A)
        return out
    }

    /// The bytes of a `.npy` file holding `tensor` as `dtype`, identical to what `numpy.save`
    /// writes for the same array. Integer and bool types need whole values in their range
    /// (0 or 1 for bool), else the error names the first value that does not fit; float16
    /// rounds as NumPy does. `path` names the destination in errors.
    public static func serialize(_ tensor: Tensor, dtype: DType = .float32, path: String = "<memory>") throws -> [UInt8] {
        var out = header(dtype: dtype, shape: tensor.shape)
        let headerSize = out.count
        out += [UInt8](repeating: 0, count: tensor.count * dtype.size)
        let big = dtype.bigEndian
        var bad: (index: Int, value: Float)? = nil
        tensor.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { raw in
                let base = raw.baseAddress! + headerSize
                func store<T: FixedWidthInteger>(_ v: T, _ i: Int) {
                    base.storeBytes(of: big ? v.bigEndian : v.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
                }
                func integers<T: FixedWidthInteger>(_: T.Type) {
                    for i in 0..<src.count {
                        guard let v = T(exactly: src[i]) else { bad = (i, src[i]); return }
                        store(v, i)
                    }
                }
                switch (dtype.kind, dtype.size) {
                case (.bool, _):
                    for i in 0..<src.count {
                        guard src[i] == 0 || src[i] == 1 else { bad = (i, src[i]); return }
                        base.storeBytes(of: src[i] == 1 ? 1 : 0, toByteOffset: i, as: UInt8.self)
                    }
                case (.unsigned, 1): integers(UInt8.self)
                case (.signed, 1): integers(Int8.self)
                case (.unsigned, 2): integers(UInt16.self)
                case (.signed, 2): integers(Int16.self)
                case (.unsigned, 4): integers(UInt32.self)
                case (.signed, 4): integers(Int32.self)
                case (.unsigned, _): integers(UInt64.self)
                case (.signed, _): integers(Int64.self)
                case (.float, 2): for i in 0..<src.count { store(Float16(src[i]).bitPattern, i) }
                case (.float, 4): for i in 0..<src.count { store(src[i].bitPattern, i) }
                case (.float, _): for i in 0..<src.count { store(Double(src[i]).bitPattern, i) }
                }
            }
        }
        if let bad {
            let what = dtype.kind == .bool ? "0 or 1" : "a whole number in the range of '\(dtype.descr)'"
            throw DataError(path, "element \(bad.index) is \(bad.value), which '\(dtype.descr)' cannot hold exactly (expected \(what))")
        }
        return out
    }

    /// Writes `tensor` as a `.npy` file that NumPy reads (see `serialize`). Writes atomically:
    /// the bytes go to a temporary file beside `url`, which is then renamed over it.
    public static func write(_ tensor: Tensor, to url: URL, dtype: DType = .float32) throws {
        let bytes = try serialize(tensor, dtype: dtype, path: url.path)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(bytes).write(to: tmp)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw DataError(url.path, "could not be written: \(error.localizedDescription)")
        }
        if rename(tmp.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: tmp)
            throw DataError(url.path, "could not move the new file into place (errno \(code))")
        }
    }
}
