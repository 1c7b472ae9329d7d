import CBZip2

/// bzip2 decompression through the system libbz2 (some packaged corpora ship as `.bz2`).
public enum BZip2 {
    /// Decompresses a whole bzip2 stream (concatenated streams included); `path` names the
    /// source in errors. A truncated or corrupt stream is refused.
    public static func decompress(_ input: [UInt8], path: String = "<memory>") throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 6)
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var consumed = 0
        try input.withUnsafeBufferPointer { inBuf in
            while consumed < inBuf.count {
                var stream = bz_stream()
                guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else { throw DataError(path, "libbz2 could not be initialised") }
                defer { BZ2_bzDecompressEnd(&stream) }
                stream.next_in = UnsafeMutableRawPointer(mutating: inBuf.baseAddress! + consumed).assumingMemoryBound(to: CChar.self)
                stream.avail_in = UInt32(inBuf.count - consumed)
                while true {
                    let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self)
                        stream.avail_out = UInt32(out.count)
                        return BZ2_bzDecompress(&stream)
                    }
                    output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                    if status == BZ_STREAM_END { break }
                    guard status == BZ_OK else {
                        throw DataError(path, "corrupt bzip2 data near compressed byte \(inBuf.count - Int(stream.avail_in)) "
                                              + "(libbz2 status \(status))")
                    }
                    if stream.avail_in == 0 && stream.avail_out > 0 {
                        throw DataError(path, "truncated bzip2 stream: input ended after \(inBuf.count) bytes before the end of the data")
                    }
                }
                consumed = inBuf.count - Int(stream.avail_in)
            }
        }
        return output
    }
}
