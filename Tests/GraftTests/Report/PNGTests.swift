import Foundation
import Testing
@testable import Graft
@testable import GraftReport

@Suite struct PNGTests {
    func reason(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "accepted" } catch { return "\(error)" }
    }

    /// Pseudo-random bytes, deterministic.
    func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        let rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    @Test func greyAndRGBRoundTripExactly() throws {
        for (channels, w, h) in [(1, 17, 9), (3, 5, 11), (1, 1, 1), (3, 64, 3), (4, 7, 7), (2, 3, 4)] {
            let image = try PNGImage(width: w, height: h, channels: channels, pixels: bytes(w * h * channels, seed: UInt64(w * h)))
            let png = try PNG.encode(image)
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(try PNG.decode(png) == image)
            // No timestamps or other varying chunks: same pixels, same bytes.
            #expect(try PNG.encode(image) == png)
        }
    }

    @Test func tensorsBecomeGreyOrInterleavedRGB() throws {
        // [2, 3] grey with out-of-range and NaN values clamped.
        let grey = Tensor([0, 0.5, 1, -3, 7, .nan], shape: [2, 3])
        let g = try PNG.decode(PNG.encode(grey))
        #expect(g.width == 3 && g.height == 2 && g.channels == 1)
        #expect(g.pixels == [0, 128, 255, 0, 255, 0])
        #expect(try PNGImage(tensor: Tensor([0.5, 1], shape: [1, 1, 2])).pixels == [128, 255])
        // [3, 1, 2] channels first: red plane, green plane, blue plane.
        let rgb = Tensor([1, 0, 0, 1, 0.2, 0.4], shape: [3, 1, 2])
        let c = try PNG.decode(PNG.encode(rgb))
        #expect(c.channels == 3 && c.pixels == [255, 0, 51, 0, 255, 102])
        #expect(c[0, 1, 2] == 102)
        #expect(reason { try PNGImage(tensor: Tensor.zeros([2, 2, 2])) }.contains("expected [H, W], [1, H, W] or [3, H, W]"))
        #expect(reason { try PNGImage(tensor: Tensor.zeros([4])) }.contains("shape [4]"))
    }

    @Test func refusesBadSizesAndBadData() throws {
        #expect(reason { try PNGImage(width: 2, height: 2, channels: 1, pixels: [1, 2, 3]) }.contains("3 samples for a 2x2 image"))
        #expect(reason { try PNGImage(width: 0, height: 2, channels: 1, pixels: []) }.contains("empty"))
        #expect(reason { try PNGImage(width: 1, height: 1, channels: 5, pixels: [1, 2, 3, 4, 5]) }.contains("5 channels"))
        #expect(reason { try PNG.decode([1, 2, 3]) }.contains("signature"))
        let png = try PNG.encode(PNGImage(width: 20, height: 20, channels: 3, pixels: bytes(1200, seed: 3)))
        // Every truncation is refused with libpng's message, never a crash.
        for n in stride(from: 8, to: png.count, by: 7) {
            #expect(reason { try PNG.decode(Array(png.prefix(n))) }.contains("PNG: cannot decode"))
        }
        // libpng's own refusals come back as errors too (it allows at most a million columns).
        let wide = try PNGImage(width: 1_000_001, height: 1, channels: 1, pixels: [UInt8](repeating: 0, count: 1_000_001))
        #expect(reason { try PNG.encode(wide) }.contains("libpng could not encode: Invalid IHDR data"))
        var corrupt = png
        for i in 40..<80 { corrupt[i] ^= 0xA5 }
        #expect(reason { try PNG.decode(corrupt) }.contains("PNG: cannot decode"))
    }

    @Test func dataURIHoldsTheBytesInBase64() throws {
        let png = try PNG.encode(pixels: [0, 255, 255, 0], width: 2, height: 2, channels: 1)
        let uri = PNG.dataURI(png)
        #expect(uri.hasPrefix("data:image/png;base64,iVBORw0KGgo"))
        let decoded = try #require(Data(base64Encoded: String(uri.dropFirst("data:image/png;base64,".count))))
        #expect([UInt8](decoded) == png)
    }

    @Test func scalingAndRGBConversion() throws {
        let image = try PNGImage(width: 2, height: 1, channels: 1, pixels: [10, 200])
        let big = image.scaled(by: 3)
        #expect(big.width == 6 && big.height == 3)
        #expect(big.pixels == Array(repeating: [10, 10, 10, 200, 200, 200], count: 3).flatMap { $0 })
        #expect(image.rgb().pixels == [10, 10, 10, 200, 200, 200])
    }
}
