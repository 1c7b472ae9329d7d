import Graft
import GraftNN
import GraftRecipes

/// Flattened 28x28 images [N, 784] seen as one-channel images [N, 1, 28, 28].
final class FlatImages: Module, UnaryLayer {
    /// The layer.
    override init() { super.init() }
    /// [N, 784] -> [N, 1, 28, 28].
    func callAsFunction(_ x: Tensor) -> Tensor { x.reshape([x.shape[0], 1, 28, 28]) }
}

/// The small convolutional network of the layer-transfer lab, built as one `Sequential` entry
/// per transferable layer so that "layer k" is entry k - 1:
/// 1. conv 5x5 (1 -> c1), ReLU, max-pool 2 (28 -> 24 -> 12);
/// 2. conv 5x5 (c1 -> c2), ReLU, max-pool 2 (12 -> 8 -> 4);
/// 3. flatten, linear (16 c2 -> d1), ReLU;
/// 4. linear (d1 -> d2), ReLU;
/// then the output layer, linear (d2 -> classes). It reads flattened images [N, 784].
enum TransferConvNet {
    /// The number of transferable (hidden) layers.
    static let hiddenLayers = 4

    /// A network with convolution channels `channels` (two) and dense widths `dense` (two),
    /// initialised from `seed` (each layer from its own generator).
    static func make(channels: [Int], dense: [Int], classes: Int, seed: UInt64) -> Sequential {
        precondition(channels.count == 2 && dense.count == 2, "TransferConvNet needs two channel counts and two dense widths")
        func g(_ k: UInt64) -> RandomGenerator { RandomGenerator(seed: seed &+ k) }
        return Sequential([
            Sequential(FlatImages(), Conv2d(1, channels[0], kernelSize: (5, 5), generator: g(0)), ReLU(), MaxPool2d(2)),
            Sequential(Conv2d(channels[0], channels[1], kernelSize: (5, 5), generator: g(1)), ReLU(), MaxPool2d(2)),
            Sequential(Flatten(), Linear(16 * channels[1], dense[0], generator: g(2)), ReLU()),
            Sequential(Linear(dense[0], dense[1], generator: g(3)), ReLU()),
            Linear(dense[1], classes, generator: g(4)),
        ])
    }

    /// Copies hidden layers `layers` (1-based) of `source` into `target`, two networks built by
    /// `make` with the same sizes; frozen there with `freeze`.
    static func copyHidden(_ layers: ClosedRange<Int>, from source: Sequential, into target: Sequential, freeze: Bool) throws {
        try LayerTransfer.copy(pairs: layers.map { (source: $0 - 1, target: $0 - 1) }, from: source, into: target, freeze: freeze)
    }
}
