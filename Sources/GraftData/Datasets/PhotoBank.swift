import Foundation
import Graft

/// 32 natural colour photos, centre-cropped and resized to 192x192, bundled as
/// `Data/photos/photos_192.npy.gz` (uint8 [32, 192, 192, 3]) with one row per photo in
/// `Data/photos/MANIFEST.tsv` (its source and licence): the patches of the MNIST-M-like domain.
public struct PhotoBank {
    /// The photos [32, 192, 192, 3] (height, width, then red, green, blue), values 0...255.
    public let photos: Tensor
    /// Each photo's file name, from the manifest, in row order.
    public let names: [String]
    /// Each photo's licence, from the manifest, in row order.
    public let licences: [String]

    /// The shape of the bundled photos.
    public static let expectedShape = [32, 192, 192, 3]

    /// The number of photos.
    public var count: Int { photos.shape[0] }

    /// Loads the photos from `directory` (the bundled `Data/photos` by default), which must
    /// hold `photos_192.npy.gz` of uint8 [32, 192, 192, 3] and a `MANIFEST.tsv` of 32 rows
    /// (columns index, file and licence among them, indices 0...31 in order).
    public static func load(directory: URL? = nil) throws -> PhotoBank {
        let dir = try directory ?? DataLocation.bundledFile("photos")
        let url = dir.appendingPathComponent("photos_192.npy.gz")
        let raw = try NPY.readRaw(url)
        guard raw.dtype == .uint8, raw.shape == expectedShape else {
            throw DataError(url.path, "expected uint8 photos of shape \(expectedShape), found '\(raw.dtype.descr)' of shape \(raw.shape)")
        }
        let manifestURL = dir.appendingPathComponent("MANIFEST.tsv")
        let manifest = try Delimited.read(manifestURL, separator: "\t", hasHeader: true, columns: .uniform)
        let (indexColumn, fileColumn, licenceColumn) = try (manifest.column("index"), manifest.column("file"), manifest.column("licence"))
        guard manifest.rows.count == expectedShape[0] else {
            throw DataError(manifestURL.path, "expected \(expectedShape[0]) photos, found \(manifest.rows.count) rows")
        }
        for (r, row) in manifest.rows.enumerated() where row[indexColumn] != String(r) {
            throw manifest.error(row: r, "index is \(row[indexColumn].debugDescription), expected \(r) (rows in photo order)")
        }
        return PhotoBank(photos: raw.tensor(), names: manifest.rows.map { $0[fileColumn] },
                         licences: manifest.rows.map { $0[licenceColumn] })
    }
}
