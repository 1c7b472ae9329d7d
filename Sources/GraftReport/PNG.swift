import CPNG
import Foundation
import Graft

/// Why an image could not be encoded or decoded.
public struct PNGError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public let reason: String

    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }

    /// "PNG: REASON".
    public var description: String { "PNG: \(reason)" }
}

/// An 8-bit image: `channels` samples per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA),
/// interleaved, rows top to bottom.
public struct PNGImage: Equatable, Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Samples per pixel, 1 to 4.
    public let channels: Int
    /// `height * width * channels` samples.
    public let pixels: [UInt8]

    /// An image from raw interleaved samples; refuses a size that does not match.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else { throw PNGError("image size \(width)x\(height) is empty") }
        guard (1...4).contains(channels) else { throw PNGError("\(channels) channels; expected 1 to 4") }
        guard pixels.count == width * height * channels else {
            throw PNGError("\(pixels.count) samples for a \(width)x\(height) image with \(channels) channels; expected \(width * height * channels)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image from a tensor of values in [0, 1]: shape [H, W] or [1, H, W] gives grey,
    /// [3, H, W] (channels first) gives RGB. Values are clamped to [0, 1] (NaN becomes 0) and
    /// rounded to the nearest of 256 levels.
    public init(tensor: Tensor) throws {
        let shape = tensor.shape
        let channels: Int, height: Int, width: Int
        switch shape.count {
        case 2: (channels, height, width) = (1, shape[0], shape[1])
        case 3 where shape[0] == 1 || shape[0] == 3: (channels, height, width) = (shape[0], shape[1], shape[2])
        default: throw PNGError("tensor of shape \(shape); expected [H, W], [1, H, W] or [3, H, W]")
        }
        let plane = height * width
        var pixels = [UInt8](repeating: 0, count: plane * channels)
        tensor.withUnsafeBufferPointer { values in
            for c in 0..<channels {
                for i in 0..<plane { pixels[i * channels + c] = PNGImage.level(values[c * plane + i]) }
            }
        }
        try self.init(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// The 8-bit level of a value in [0, 1].
    static func level(_ v: Float) -> UInt8 {
        guard v > 0 else { return 0 }   // also NaN
        return v >= 1 ? 255 : UInt8((v * 255).rounded())
    }

    /// The sample of channel `c` at row `y`, column `x`.
    public subscript(y: Int, x: Int, c: Int) -> UInt8 { pixels[(y * width + x) * channels + c] }

    /// The same picture with 3 channels (grey is repeated, alpha dropped).
    public func rgb() -> PNGImage {
        if channels == 3 { return self }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            for c in 0..<3 { out[p * 3 + c] = pixels[p * channels + (channels >= 3 ? c : 0)] }
        }
        // Sizes are unchanged and valid, so this cannot throw.
        return try! PNGImage(width: width, height: height, channels: 3, pixels: out)
    }

    /// Each pixel repeated `factor` times across and down (nearest-neighbour upscaling), so
    /// small images stay sharp in a browser.
    public func scaled(by factor: Int) -> PNGImage {
        guard factor > 1 else { return self }
        let w = width * factor, h = height * factor
        var out = [UInt8](repeating: 0, count: w * h * channels)
        for y in 0..<h {
            for x in 0..<w {
                let src = ((y / factor) * width + x / factor) * channels
                let dst = (y * w + x) * channels
                for c in 0..<channels { out[dst + c] = pixels[src + c] }
            }
        }
        return try! PNGImage(width: w, height: h, channels: channels, pixels: out)
    }
}

/// PNG encoding and decoding in memory through the system libpng.
public enum PNG {
    /// Encodes `image` as PNG bytes. The output depends only on the pixels and the level
    /// (no timestamps), so the same image always gives the same bytes.
    public static func encode(_ image: PNGImage, compressionLevel: Int = 6) throws -> [UInt8] {
        guard image.width <= Int(UInt32.max), image.height <= Int(UInt32.max) else {
            throw PNGError("image size \(image.width)x\(image.height) is too large")
        }
        let sink = ByteSink()
        var message = [CChar](repeating: 0, count: Int(CPNG_MESSAGE_SIZE))
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            message.withUnsafeMutableBufferPointer { text in
                cpng_encode(pixels.baseAddress, UInt32(image.width), UInt32(image.height), Int32(image.channels),
                            Int32(max(0, min(9, compressionLevel))), { context, bytes, count in
                                guard let context, let bytes else { return }
                                let sink = Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue()
                                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
                            }, Unmanaged.passUnretained(sink).toOpaque(), text.baseAddress)
            }
        }
        guard status == 0 else { throw PNGError("libpng could not encode: \(text(message))") }
        return sink.bytes
    }

    /// Encodes raw interleaved 8-bit samples.
    public static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int) throws -> [UInt8] {
        try encode(PNGImage(width: width, height: height, channels: channels, pixels: pixels))
    }

    /// Encodes a tensor of values in [0, 1] of shape [H, W], [1, H, W] or [3, H, W].
    public static func encode(_ tensor: Tensor) throws -> [UInt8] {
        try encode(PNGImage(tensor: tensor))
    }

    /// Decodes PNG bytes to 8-bit samples (palettes become RGB, 16-bit samples are narrowed,
    /// transparency becomes an alpha channel). Corrupt or truncated data is refused.
    public static func decode(_ bytes: [UInt8]) throws -> PNGImage {
        var image = cpng_image()
        var message = [CChar](repeating: 0, count: Int(CPNG_MESSAGE_SIZE))
        let status = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                cpng_decode(data.baseAddress, data.count, &image, text.baseAddress)
            }
        }
        guard status == 0, let base = image.pixels else {
            throw PNGError("cannot decode \(bytes.count) bytes: \(text(message))")
        }
        defer { cpng_free(base) }
        let count = Int(image.width) * Int(image.height) * Int(image.channels)
        return try PNGImage(width: Int(image.width), height: Int(image.height), channels: Int(image.channels),
                            pixels: Array(UnsafeBufferPointer(start: base, count: count)))
    }

    /// The NUL-terminated message the shim wrote.
    static func text(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A `data:` URI holding PNG bytes, for an `<img>` or SVG `<image>` that needs no file.
    public static func dataURI(_ png: [UInt8]) -> String {
        "data:image/png;base64," + Data(png).base64EncodedString()
    }
}

/// Collects the encoder's output; lives only for one `encode` call.
private final class ByteSink {
    var bytes: [UInt8] = []
}
