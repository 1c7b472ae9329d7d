import Foundation
import Graft

/// The UCI optical recognition of handwritten digits that scikit-learn ships (`load_digits`):
/// 1,797 images of 8x8 pixels with grey levels 0...16, bundled as
/// `Data/digits/sklearn_digits_8x8.csv.gz` (one image a row: 64 pixels, then the label).
public struct Digits8x8 {
    /// Images [1797, 1, 8, 8], grey levels divided by 16 (so in [0, 1]).
    public let images: Tensor
    /// Labels [1797], whole numbers 0...9.
    public let labels: Tensor

    /// The number of images in the data set.
    public static let expectedCount = 1797

    /// The number of examples.
    public var count: Int { labels.count }

    /// Loads the data set from `url` (the bundled copy by default), which must hold 1,797 rows
    /// of 64 grey levels 0...16 and a digit label; anything else is refused naming the file and line.
    public static func load(from url: URL? = nil) throws -> Digits8x8 {
        let file = try url ?? DataLocation.bundledFile("digits/sklearn_digits_8x8.csv.gz")
        let table = try Delimited.read(file, separator: ",", columns: .exactly(65))
        guard table.rows.count == expectedCount else {
            throw DataError(file.path, "expected \(expectedCount) rows of digits, found \(table.rows.count)")
        }
        var pixels = [Float](repeating: 0, count: expectedCount * 64)
        var labels = [Float](repeating: 0, count: expectedCount)
        for r in 0..<expectedCount {
            for c in 0..<64 {
                let v = try table.number(row: r, column: c)
                guard v == v.rounded(), (0...16).contains(v) else {
                    throw table.error(row: r, "pixel \(c + 1) is \(table.rows[r][c]), expected a whole grey level 0...16")
                }
                pixels[r * 64 + c] = v / 16
            }
            let label = try table.number(row: r, column: 64)
            guard label == label.rounded(), (0...9).contains(label) else {
                throw table.error(row: r, "the label (field 65) is \(table.rows[r][64]), expected a digit 0...9")
            }
            labels[r] = label
        }
        return Digits8x8(images: Tensor(pixels, shape: [expectedCount, 1, 8, 8]), labels: Tensor(labels, shape: [expectedCount]))
    }
}
