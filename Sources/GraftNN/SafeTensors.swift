import Foundation
import Graft

/// Why a checkpoint file could not be read or written. Every case names the file.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file.
    public let path: String
    /// What was wrong and where (byte offset or tensor name).
    public let reason: String

    /// An error about `path`.
    public init(_ path: String, _ reason: String) { self.path = path; self.reason = reason }

    /// "checkpoint PATH: REASON".
    public var description: String { "checkpoint \(path): \(reason)" }
}

/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes
/// of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
/// padded with spaces to a multiple of 8, then the raw little-endian data.
///
/// Graft writes F32 exactly as Python's `safetensors` does (tensors ordered by name, compact
/// JSON, metadata keys sorted); it reads F32, F64, F16, BF16 and integer tensors, converting
/// them to Float32, and refuses corrupt or hostile files before allocating anything large.
public enum SafeTensors {
    /// The largest header accepted (the reference implementation's limit is 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// Element sizes and converters of the dtypes Graft reads.
    static let dtypeSizes: [String: Int] = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1]

    /// The bytes of a safetensors file holding `tensors` (as F32) and `metadata`.
    public static func serialize(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        let names = tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            parts.append("\"__metadata__\":{" + keys.map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let t = tensors[name]!
            let bytes = t.count * 4
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                         + "\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { buf in
                buf.withMemoryRebound(to: UInt8.self) { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// A JSON string literal escaped the way serde_json does.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Writes atomically: the bytes go to a temporary file beside `url`, which is then renamed
    /// over it, so a crash mid-write never leaves a truncated checkpoint or loses the old one.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let bytes = serialize(tensors, metadata: metadata)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(bytes).write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                throw CheckpointError(url.path, "could not move the new file into place (errno \(errno))")
            }
        } catch let e as CheckpointError {
            try? FileManager.default.removeItem(at: tmp)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw CheckpointError(url.path, "could not write: \(error.localizedDescription)")
        }
    }

    /// Reads a file's tensors (as Float32) and metadata.
    public static func read(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw CheckpointError(url.path, "cannot be opened: \(error.localizedDescription)")
        }
        return try parse([UInt8](data), path: url.path)
    }

    /// Parses the bytes of a safetensors file; `path` names it in errors.
    public static func parse(_ bytes: [UInt8], path: String = "<memory>") throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> CheckpointError { CheckpointError(path, reason) }
        guard bytes.count >= 8 else { throw fail("truncated: \(bytes.count) bytes, need at least 8 for the header length") }
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(maxHeaderBytes) else { throw fail("header length \(n) at offset 0 exceeds the limit of \(maxHeaderBytes) bytes") }
        let headerEnd = 8 + Int(n)
        guard headerEnd <= bytes.count else {
            throw fail("truncated: header of \(n) bytes declared at offset 0, but only \(bytes.count - 8) bytes follow")
        }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) } catch {
            throw fail("header (bytes 8..<\(headerEnd)) is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw fail("header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let m = meta as? [String: Any] else { throw fail("__metadata__ is not an object") }
            for (k, v) in m {
                guard let s = v as? String else { throw fail("__metadata__ value for '\(k)' is not a string") }
                metadata[k] = s
            }
        }
        let dataSize = bytes.count - headerEnd
        var spans: [(Int, Int, String)] = []
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let e = entry as? [String: Any] else { throw fail("entry '\(name)' is not an object") }
            guard let dtype = e["dtype"] as? String, let size = dtypeSizes[dtype] else {
                throw fail("tensor '\(name)' has unsupported dtype \(e["dtype"].map { "\($0)" } ?? "(missing)"); "
                           + "supported: \(dtypeSizes.keys.sorted().joined(separator: ", "))")
            }
            guard let shapeAny = e["shape"] as? [Any] else { throw fail("tensor '\(name)' has no shape list") }
            var shape: [Int] = []
            var count = 1
            for d in shapeAny {
                guard let num = d as? NSNumber, let v = Int(exactly: num.doubleValue), v >= 0, v <= Int(Int32.max) else {
                    throw fail("tensor '\(name)' has an invalid dimension \(d) in its shape")
                }
                shape.append(v)
                let (c, overflow) = count.multipliedReportingOverflow(by: v)
                guard !overflow, c <= dataSize else {
                    throw fail("tensor '\(name)' of shape \(shapeAny) is larger than the file's data (\(dataSize) bytes)")
                }
                count = c
            }
            guard let offsets = e["data_offsets"] as? [Any], offsets.count == 2,
                  let b = (offsets[0] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
                  let f = (offsets[1] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
                  b >= 0, b <= f, f <= dataSize else {
                throw fail("tensor '\(name)' has data_offsets \(e["data_offsets"] ?? "(missing)") outside the data section of \(dataSize) bytes")
            }
            guard f - b == count * size else {
                throw fail("tensor '\(name)' of shape \(shape) and dtype \(dtype) needs \(count * size) bytes, data_offsets give \(f - b)")
            }
            spans.append((b, f, name))
            tensors[name] = convert(bytes, from: headerEnd + b, count: count, dtype: dtype, shape: shape)
        }
        // The data section must be covered exactly, without gaps or overlaps.
        spans.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var expected = 0
        for (b, f, name) in spans {
            guard b == expected else { throw fail("tensor '\(name)' starts at data offset \(b), expected \(expected) (gap or overlap)") }
            expected = f
        }
        guard expected == dataSize else { throw fail("data section has \(dataSize) bytes but the tensors cover \(expected)") }
        return (tensors, metadata)
    }

    static func convert(_ bytes: [UInt8], from start: Int, count: Int, dtype: String, shape: [Int]) -> Tensor {
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + start
            for i in 0..<count {
                switch dtype {
                case "F32": values[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case "F64": values[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                case "F16": values[i] = Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                case "BF16":
                    values[i] = Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                case "I64": values[i] = Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                case "I32": values[i] = Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                case "I16": values[i] = Float(Int16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
                case "I8": values[i] = Float(base.load(fromByteOffset: i, as: Int8.self))
                default: values[i] = Float(base.load(fromByteOffset: i, as: UInt8.self))   // U8, BOOL
                }
            }
        }
        return Tensor(values, shape: shape)
    }
}
