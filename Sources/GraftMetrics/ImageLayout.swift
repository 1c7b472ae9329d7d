import Graft

/// How the values of one row form an image: height x width pixels of `channels` values, either
/// interleaved per pixel (channels last, [h, w, c]) or as planes (channels first, [c, h, w]).
public struct ImageLayout: Sendable, Equatable {
    /// Rows of pixels.
    public let height: Int
    /// Pixels per row.
    public let width: Int
    /// Values per pixel.
    public let channels: Int
    /// Whether the channels are planes ([c, h, w]) rather than interleaved ([h, w, c]).
    public let channelsFirst: Bool

    /// A layout; all sizes must be positive.
    public init(height: Int, width: Int, channels: Int = 1, channelsFirst: Bool = false) {
        precondition(height > 0 && width > 0 && channels > 0, "ImageLayout: sizes must be positive")
        self.height = height
        self.width = width
        self.channels = channels
        self.channelsFirst = channelsFirst
    }

    /// Values per image.
    public var count: Int { height * width * channels }

    /// The layout of the images in a tensor of `shape`: [n, h, w] (grey), [n, h, w, c] when the
    /// last axis has 1 to 4 values, [n, c, h, w] when the second has, or flat rows [n, s * s] of
    /// square grey images. `name` names the input in errors.
    public static func infer(shape: [Int], name: String) throws -> ImageLayout {
        switch shape.count {
        case 2:
            let d = shape[1]
            let side = Int(Double(d).squareRoot().rounded())
            guard d > 0 && side * side == d else {
                throw MetricError("\(name): rows of \(d) values are not square images; pass images as [n, height, width]")
            }
            return ImageLayout(height: side, width: side)
        case 3 where shape[1] > 0 && shape[2] > 0:
            return ImageLayout(height: shape[1], width: shape[2])
        case 4 where shape.dropFirst().allSatisfy({ $0 > 0 }):
            if shape[3] <= 4 { return ImageLayout(height: shape[1], width: shape[2], channels: shape[3]) }
            if shape[1] <= 4 { return ImageLayout(height: shape[2], width: shape[3], channels: shape[1], channelsFirst: true) }
            throw MetricError("\(name): shape \(shape) has no channel axis of 1 to 4 values at axis 1 or 3")
        default:
            throw MetricError("\(name): expected images [n, height, width], [n, height, width, channels], "
                              + "[n, channels, height, width] or flat square rows, got shape \(shape)")
        }
    }

    /// The offset of channel `c` of pixel (y, x) in an image.
    @inline(__always) func offset(y: Int, x: Int, c: Int) -> Int {
        channelsFirst ? (c * height + y) * width + x : (y * width + x) * channels + c
    }

    /// `image` (count values) translated by dx pixels right and dy pixels down, the uncovered
    /// border filled with 0: out(y, x) = image(y - dy, x - dx).
    public func shifted(_ image: [Float], dx: Int, dy: Int) -> [Float] {
        precondition(image.count == count, "ImageLayout.shifted: \(image.count) values for a \(count)-value image")
        return shifted(Tensor(image, shape: [1, count]), dx: dx, dy: dy).scalars
    }

    /// Rows of images [n, count] translated by (dx, dy): zero padding then a slice on each
    /// spatial axis (pure copies: the values are those of the input).
    func shifted(_ rows: Tensor, dx: Int, dy: Int) -> Tensor {
        let n = rows.shape[0]
        let dims = channelsFirst ? [n, channels, height, width] : [n, height, width, channels]
        let (yAxis, xAxis) = channelsFirst ? (2, 3) : (1, 2)
        var t = rows.reshape(dims)
        for (axis, shift, size) in [(yAxis, dy, height), (xAxis, dx, width)] where shift != 0 {
            let s = Swift.min(Swift.abs(shift), size)
            t = t.pad(axis: axis, before: shift > 0 ? s : 0, after: shift < 0 ? s : 0)
                .slice(axis: axis, start: shift < 0 ? s : 0, end: (shift < 0 ? s : 0) + size)
        }
        return t.reshape([n, count])
    }

    /// Every row of `m` translated by (dx, dy).
    func shifted(_ m: FeatureMatrix, dx: Int, dy: Int) -> FeatureMatrix {
        precondition(m.cols == count, "ImageLayout.shifted: rows of \(m.cols) values for a \(count)-value image")
        if dx == 0 && dy == 0 { return m }
        return FeatureMatrix(rows: m.rows, cols: m.cols, values: shifted(m.tensor, dx: dx, dy: dy).scalars, name: m.name)
    }
}
