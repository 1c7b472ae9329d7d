import Foundation
import Graft

/// 384-dimensional L2-normalised sentence embeddings (all-MiniLM-L6-v2) of class names, for
/// zero-shot learning, bundled as `Data/zsl/minilm_*.npy.gz` (float32 [n, 384]) with the
/// names in row order in the `.txt` file beside each.
public struct ClassNameEmbeddings {
    /// Which set of class names.
    public enum Set: String, CaseIterable, Sendable {
        /// The ten MNIST digits: "zero" ... "nine".
        case mnistDigits
        /// The ten Fashion-MNIST classes.
        case fashionMNIST
        /// The 101 animals of the UCI zoo data set, in its row order.
        case uciZoo
        /// Twenty animals for clustering.
        case animals

        /// The file name without its extension.
        var stem: String {
            switch self {
            case .mnistDigits: "minilm_mnist_digit_names"
            case .fashionMNIST: "minilm_fashion_mnist_class_names"
            case .uciZoo: "minilm_uci_zoo_names"
            case .animals: "minilm_cluster_animals_names"
            }
        }

        /// The number of names in the bundled set.
        public var expectedCount: Int {
            switch self {
            case .mnistDigits, .fashionMNIST: 10
            case .uciZoo: 101
            case .animals: 20
            }
        }
    }

    /// The embedding width.
    public static let dimension = 384

    /// The class names, one per row of `vectors`.
    public let names: [String]
    /// The embeddings [names.count, 384], each row of unit length.
    public let vectors: Tensor

    /// Loads a set from `directory` (the bundled `Data/zsl` by default): the `.npy.gz` must be
    /// [n, 384] with rows of unit length, and the `.txt` must hold n non-empty names.
    public static func load(_ set: Set, directory: URL? = nil) throws -> ClassNameEmbeddings {
        let dir = try directory ?? DataLocation.bundledFile("zsl")
        let namesURL = dir.appendingPathComponent("\(set.stem).txt")
        let vectorsURL = dir.appendingPathComponent("\(set.stem).npy.gz")
        let names = try TextFile.lines(namesURL)
        if let bad = names.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw DataError(namesURL.path, "line \(bad + 1): empty class name")
        }
        guard names.count == set.expectedCount else {
            throw DataError(namesURL.path, "expected \(set.expectedCount) class names, found \(names.count)")
        }
        let vectors = try NPY.read(vectorsURL)
        guard vectors.shape == [names.count, dimension] else {
            throw DataError(vectorsURL.path, "expected embeddings of shape [\(names.count), \(dimension)] "
                                             + "(one row per name in \(namesURL.lastPathComponent)), found \(vectors.shape)")
        }
        try vectors.withUnsafeBufferPointer { v in
            for r in 0..<names.count {
                var sum: Float = 0
                for k in 0..<dimension { sum += v[r * dimension + k] * v[r * dimension + k] }
                guard abs(sum.squareRoot() - 1) < 1e-3 else {
                    throw DataError(vectorsURL.path, "row \(r) (\(names[r])) has length \(sum.squareRoot()), expected unit length")
                }
            }
        }
        return ClassNameEmbeddings(names: names, vectors: vectors)
    }
}
