import CZlib
import Foundation

/// Why a data file could not be read. Every case names the file and where it went wrong.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The file.
    public let path: String
    /// What was wrong, with the byte offset or line where it applies.
    public let reason: String

    /// An error about `path`.
    public init(_ path: String, _ reason: String) { self.path = path; self.reason = reason }

    /// "PATH: REASON".
    public var description: String { "\(path): \(reason)" }
}

/// Gzip decompression through the system zlib.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b }

    /// Decompresses a whole gzip stream (concatenated members included); `path` names the
    /// source in errors. A truncated or corrupt stream is refused.
    public static func decompress(_ input: [UInt8], path: String = "<memory>") throws -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 32: detect gzip or zlib headers automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(path, "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END {
                    // Another gzip member may follow.
                    if stream.avail_in > 0 { inflateReset(&stream); continue }
                    break
                }
                if (status == Z_BUF_ERROR && stream.avail_in == 0) || (status == Z_OK && stream.avail_in == 0 && produced == 0) {
                    throw DataError(path, "truncated gzip stream: input ended after \(inBuf.count) bytes before the end of the data")
                }
                if status != Z_OK {
                    let offset = inBuf.count - Int(stream.avail_in)
                    throw DataError(path, "corrupt gzip data near compressed byte \(offset) (zlib status \(status))")
                }
            }
        }
        return output
    }

    /// Reads a file, decompressing it when it is gzip.
    public static func readFile(_ url: URL) throws -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: url)) } catch {
            throw DataError(url.path, "cannot be read: \(error.localizedDescription)")
        }
        return isGzip(bytes) ? try decompress(bytes, path: url.path) : bytes
    }
}
