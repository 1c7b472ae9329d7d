import Foundation
import Graft

/// MNIST (LeCun, Bottou, Bengio and Haffner 1998): 60,000 training and 10,000 test digits,
/// 28x28 grey levels, bundled under `Data/mnist/`.
public struct MNIST {
    /// Images [N, 1, 28, 28] scaled to [0, 1].
    public let images: Tensor
    /// Labels [N], whole numbers 0...9.
    public let labels: Tensor

    /// Which part of the data set.
    public enum Split: String, Sendable { case train, test }

    /// Loads a split from `directory` (the bundled copy by default).
    public static func load(_ split: Split, directory: URL? = nil) throws -> MNIST {
        let dir = try directory ?? DataLocation.bundledFile("mnist")
        let prefix = split == .train ? "mnist-train" : "mnist-t10k"
        return try load(images: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte.gz"),
                        labels: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte.gz"))
    }

    /// Loads an MNIST-format pair of IDX files: images [N, 28, 28] and labels 0...9.
    public static func load(images imagesURL: URL, labels labelsURL: URL) throws -> MNIST {
        let raw = try IDX.read(imagesURL)
        let labels = try IDX.read(labelsURL)
        guard raw.rank == 3, raw.shape[1] == 28, raw.shape[2] == 28 else {
            throw DataError(imagesURL.path, "expected images of shape [N, 28, 28], found \(raw.shape)")
        }
        guard labels.shape == [raw.shape[0]] else {
            throw DataError(labelsURL.path, "expected \(raw.shape[0]) labels to match the images, found shape \(labels.shape)")
        }
        if let bad = labels.scalars.firstIndex(where: { !(0...9).contains($0) }) {
            throw DataError(labelsURL.path, "label \(labels.scalars[bad]) at index \(bad) is not a digit")
        }
        return MNIST(images: (raw * (1 / 255)).reshape([raw.shape[0], 1, 28, 28]), labels: labels)
    }

    /// The number of examples.
    public var count: Int { labels.count }
}
