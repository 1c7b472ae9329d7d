import Graft

/// Images laid out in a grid and embedded as one PNG, with optional captions over the
/// columns and beside the rows (e.g. samples per class, or inputs and reconstructions).
public struct ImageGrid: Chart, Equatable {
    /// Bold text above the grid (may be empty).
    public let title: String
    /// Text over each column (may be shorter than the number of columns).
    public let columnCaptions: [String]
    /// Text left of each row (may be shorter than the number of rows).
    public let rowCaptions: [String]
    /// Images per row.
    public let columns: Int
    /// Rows.
    public let rows: Int
    /// The whole grid as one image (cells upscaled, gaps included).
    public let composite: PNGImage
    /// `composite` encoded as PNG.
    public let png: [UInt8]

    /// A grid of `images`, `columns` to a row. Images smaller than the largest are centred in
    /// their cell; grey images stay grey unless some image has colour. Each pixel is repeated
    /// `scale` times across and down (by default enough for cells about 64 pixels wide, at
    /// most 8 times) so small images stay sharp; `gap` pixels (of the final image) of grey
    /// level `gapShade` (255 is white) separate the cells.
    public init(_ images: [PNGImage], columns: Int, title: String = "", columnCaptions: [String] = [],
                rowCaptions: [String] = [], scale: Int? = nil, gap: Int = 1, gapShade: UInt8 = 255) throws {
        guard !images.isEmpty else { throw ReportError("an image grid needs at least one image") }
        guard columns >= 1 else { throw ReportError("an image grid needs at least one column, not \(columns)") }
        guard gap >= 0 else { throw ReportError("an image grid's gap must not be negative, not \(gap)") }
        let colour = images.contains { $0.channels >= 3 }
        let cells = images.map { image -> PNGImage in
            if colour { return image.rgb() }
            if image.channels == 2 {   // grey + alpha: drop alpha
                return try! PNGImage(width: image.width, height: image.height, channels: 1,
                                     pixels: stride(from: 0, to: image.pixels.count, by: 2).map { image.pixels[$0] })
            }
            return image
        }
        let channels = colour ? 3 : 1
        let rawW = cells.map(\.width).max()!, rawH = cells.map(\.height).max()!
        let factor = max(1, min(16, scale ?? min(8, (64 + rawW - 1) / rawW)))
        let cellW = rawW * factor, cellH = rawH * factor
        let cols = min(columns, images.count)
        let rows = (images.count + cols - 1) / cols
        let w = cols * cellW + (cols - 1) * gap, h = rows * cellH + (rows - 1) * gap
        var pixels = [UInt8](repeating: gapShade, count: w * h * channels)
        for (i, small) in cells.enumerated() {
            let cell = small.scaled(by: factor)
            let x0 = (i % cols) * (cellW + gap) + (cellW - cell.width) / 2
            let y0 = (i / cols) * (cellH + gap) + (cellH - cell.height) / 2
            for y in 0..<cell.height {
                let src = y * cell.width * channels, dst = ((y0 + y) * w + x0) * channels
                pixels.replaceSubrange(dst..<(dst + cell.width * channels), with: cell.pixels[src..<(src + cell.width * channels)])
            }
        }
        composite = try PNGImage(width: w, height: h, channels: channels, pixels: pixels)
        png = try PNG.encode(composite)
        self.title = title
        self.columnCaptions = columnCaptions
        self.rowCaptions = rowCaptions
        self.columns = cols
        self.rows = rows
    }

    /// A grid of tensors of values in [0, 1], each [H, W], [1, H, W] or [3, H, W].
    public init(tensors: [Tensor], columns: Int, title: String = "", columnCaptions: [String] = [],
                rowCaptions: [String] = [], scale: Int? = nil, gap: Int = 1, gapShade: UInt8 = 255) throws {
        try self.init(tensors.map { try PNGImage(tensor: $0) }, columns: columns, title: title,
                      columnCaptions: columnCaptions, rowCaptions: rowCaptions, scale: scale, gap: gap, gapShade: gapShade)
    }

    /// A grid of a batch of images in [0, 1]: [N, H, W], [N, 1, H, W] or [N, 3, H, W].
    public init(batch: Tensor, columns: Int, title: String = "", columnCaptions: [String] = [],
                rowCaptions: [String] = [], scale: Int? = nil, gap: Int = 1, gapShade: UInt8 = 255) throws {
        let shape = batch.shape
        guard shape.count == 3 || (shape.count == 4 && (shape[1] == 1 || shape[1] == 3)), shape[0] > 0 else {
            throw ReportError("image batch of shape \(shape); expected [N, H, W], [N, 1, H, W] or [N, 3, H, W]")
        }
        let itemShape = Array(shape.dropFirst()), size = itemShape.reduce(1, *)
        let all = batch.scalars
        let tensors = (0..<shape[0]).map { Tensor(Array(all[($0 * size)..<(($0 + 1) * size)]), shape: itemShape) }
        try self.init(tensors: tensors, columns: columns, title: title, columnCaptions: columnCaptions,
                      rowCaptions: rowCaptions, scale: scale, gap: gap, gapShade: gapShade)
    }

    /// The chart as an inline `<svg>` element holding the PNG as a `data:` URI.
    public func svg() -> String {
        let captionWidth = rowCaptions.map { SVGCanvas.textWidth($0, size: 12) }.max() ?? 0
        let left: Double = rowCaptions.isEmpty ? 0 : captionWidth + 10
        let top: Double = (title.isEmpty ? 0 : 26) + (columnCaptions.isEmpty ? 0 : 18)
        let imageW = Double(composite.width), imageH = Double(composite.height)
        let cellW = imageW / Double(columns), cellH = imageH / Double(rows)
        var canvas = SVGCanvas(width: left + imageW + 2, height: top + imageH + 2)
        if !title.isEmpty { canvas.text(title, x: left, y: 18, size: 14, weight: "600") }
        for (c, caption) in columnCaptions.prefix(columns).enumerated() {
            canvas.text(caption, x: left + (Double(c) + 0.5) * cellW, y: top - 5, anchor: "middle", size: 12)
        }
        for (r, caption) in rowCaptions.prefix(rows).enumerated() {
            canvas.text(caption, x: left - 8, y: top + (Double(r) + 0.5) * cellH + 4, anchor: "end", size: 12)
        }
        let n = SVGCanvas.n
        canvas.raw("<image x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(imageW))\" height=\"\(n(imageH))\""
            + " style=\"image-rendering:pixelated\" href=\"\(PNG.dataURI(png))\"/>")
        return canvas.render(title: title.isEmpty ? "Image grid" : title)
    }
}
