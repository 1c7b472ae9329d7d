import CZlib
import Foundation

/// A ZIP archive held in memory (a Python wheel is one): lists its entries and extracts them,
/// stored or deflated, checking each entry's CRC-32. ZIP64 and encrypted entries are refused.
public struct ZipArchive {
    /// One file in the archive, as its central directory describes it.
    public struct Entry: Sendable, Equatable {
        /// The path inside the archive, with `/` separators.
        public let path: String
        /// 0 (stored) or 8 (deflated).
        public let method: UInt16
        /// The CRC-32 of the uncompressed bytes.
        public let crc32: UInt32
        /// Bytes in the archive.
        public let compressedSize: Int
        /// Bytes once extracted.
        public let uncompressedSize: Int
        /// Where the entry's local header starts.
        public let localHeaderOffset: Int
    }

    /// The archive's entries in central-directory order.
    public let entries: [Entry]
    private let bytes: [UInt8]
    private let path: String

    /// Reads the archive at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError(url.path, "cannot be read: \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), path: url.path)
    }

    /// Parses an archive from its bytes; `path` names it in errors.
    public init(bytes: [UInt8], path: String = "<memory>") throws {
        self.bytes = bytes
        self.path = path
        self.entries = try ZipArchive.readCentralDirectory(bytes, path: path)
    }

    /// The entry at `path`, if the archive has one.
    public func entry(_ path: String) -> Entry? { entries.first { $0.path == path } }

    /// The uncompressed bytes of the entry at `entryPath`, CRC-checked.
    public func extract(_ entryPath: String) throws -> [UInt8] {
        guard let entry = entry(entryPath) else {
            throw DataError(path, "the archive has no entry \(entryPath)")
        }
        return try extract(entry)
    }

    /// The uncompressed bytes of `entry`, CRC-checked.
    public func extract(_ entry: Entry) throws -> [UInt8] {
        let at = entry.localHeaderOffset
        guard at + 30 <= bytes.count, readUInt32(bytes, at) == 0x0403_4b50 else {
            throw DataError(path, "byte \(at): expected the local header of \(entry.path)")
        }
        let start = at + 30 + Int(readUInt16(bytes, at + 26)) + Int(readUInt16(bytes, at + 28))
        guard start + entry.compressedSize <= bytes.count else {
            throw DataError(path, "byte \(start): the data of \(entry.path) (\(entry.compressedSize) bytes) "
                                  + "runs past the end of the archive (\(bytes.count) bytes)")
        }
        let output: [UInt8]
        switch entry.method {
        case 0:
            output = Array(bytes[start..<(start + entry.compressedSize)])
        case 8:
            output = try inflateRaw(start: start, count: entry.compressedSize, expected: entry.uncompressedSize, name: entry.path)
        default:
            throw DataError(path, "\(entry.path): compression method \(entry.method) is not supported (only stored and deflate)")
        }
        guard output.count == entry.uncompressedSize else {
            throw DataError(path, "\(entry.path): extracted \(output.count) bytes, the directory says \(entry.uncompressedSize)")
        }
        let crc = output.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, UInt32($0.count))) }
        guard crc == entry.crc32 else {
            throw DataError(path, "\(entry.path): CRC-32 mismatch (expected \(String(entry.crc32, radix: 16)), "
                                  + "found \(String(crc, radix: 16))): the archive is corrupt")
        }
        return output
    }

    private func inflateRaw(start: Int, count: Int, expected: Int, name: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(path, "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expected, 1))
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start)
                stream.avail_in = UInt32(count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            throw DataError(path, "\(name): corrupt or truncated deflate data "
                                  + "(zlib status \(status) after \(count - Int(stream.avail_in)) of \(count) compressed bytes)")
        }
        return Array(output[0..<Int(stream.total_out)])
    }

    private static func readCentralDirectory(_ bytes: [UInt8], path: String) throws -> [Entry] {
        // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535.
        guard bytes.count >= 22 else { throw DataError(path, "\(bytes.count) bytes is too short for a ZIP archive") }
        var eocd = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while at >= lowest {
            if readUInt32(bytes, at) == 0x0605_4b50 { eocd = at; break }
            at -= 1
        }
        guard eocd >= 0 else { throw DataError(path, "no ZIP end-of-central-directory record: not a ZIP archive, or truncated") }
        let count = Int(readUInt16(bytes, eocd + 10))
        let size = Int(readUInt32(bytes, eocd + 12))
        let offset = Int(readUInt32(bytes, eocd + 16))
        guard count != 0xffff, size != 0xffff_ffff, offset != 0xffff_ffff else {
            throw DataError(path, "ZIP64 archives are not supported")
        }
        guard offset + size <= eocd else {
            throw DataError(path, "byte \(eocd): the central directory (\(size) bytes at \(offset)) "
                                  + "does not fit before its end record: truncated archive")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var p = offset
        for index in 0..<count {
            guard p + 46 <= offset + size, readUInt32(bytes, p) == 0x0201_4b50 else {
                throw DataError(path, "byte \(p): expected central directory entry \(index + 1) of \(count)")
            }
            let flags = readUInt16(bytes, p + 8)
            let nameLength = Int(readUInt16(bytes, p + 28))
            let extraLength = Int(readUInt16(bytes, p + 30))
            let commentLength = Int(readUInt16(bytes, p + 32))
            guard p + 46 + nameLength <= bytes.count else { throw DataError(path, "byte \(p): entry name runs past the end") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            guard flags & 1 == 0 else { throw DataError(path, "\(name) is encrypted") }
            let compressed = readUInt32(bytes, p + 20), uncompressed = readUInt32(bytes, p + 24)
            let local = readUInt32(bytes, p + 42)
            guard compressed != 0xffff_ffff, uncompressed != 0xffff_ffff, local != 0xffff_ffff else {
                throw DataError(path, "\(name): ZIP64 entries are not supported")
            }
            entries.append(Entry(path: name, method: readUInt16(bytes, p + 10), crc32: readUInt32(bytes, p + 16),
                                 compressedSize: Int(compressed), uncompressedSize: Int(uncompressed), localHeaderOffset: Int(local)))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }
}

@inline(__always) private func readUInt16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
@inline(__always) private func readUInt32(_ b: [UInt8], _ at: Int) -> UInt32 {
    UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
}
