import Graft
import GraftNN

/// The generator of the 2-D experiments: Gaussian noise z [N, zDim] through a ReLU MLP to points [N, 2].
public final class ToyGenerator: Module, UnaryLayer {
    /// The layers.
    public var net: Sequential
    /// The noise dimension.
    public let noiseSize: Int

    /// A generator with `hidden` units in each of `depth` hidden layers.
    public init(noiseSize: Int = 2, hidden: Int = 128, depth: Int = 3, generator: RandomGenerator = .global) {
        var layers: [any UnaryLayer] = []
        var width = noiseSize
        for _ in 0..<depth { layers += [Linear(width, hidden, generator: generator), ReLU()]; width = hidden }
        layers.append(Linear(width, 2, generator: generator))
        net = Sequential(layers)
        self.noiseSize = noiseSize
        super.init()
    }

    /// Points for the noise `z` [N, noiseSize].
    public func callAsFunction(_ z: Tensor) -> Tensor { net(z) }

    /// `count` generated points, sampling fresh noise from `generator`.
    public func sample(_ count: Int, generator: RandomGenerator) -> Tensor {
        self(Tensor.randn([count, noiseSize], generator: generator))
    }
}

/// The discriminator (or critic) of the 2-D experiments: packs of `pack` points [N/pack, 2*pack]
/// through a LeakyReLU MLP, optionally a mini-batch discrimination layer, then one score.
public final class ToyDiscriminator: Module {
    /// The hidden layers; their output is the feature an OT-GAN critic uses.
    public var trunk: Sequential
    /// Mini-batch discrimination before the score, when enabled.
    public var minibatch: MinibatchDiscrimination?
    /// The score.
    public var head: Linear
    /// Points per pack (PacGAN's m; 1 is the ordinary discriminator).
    public let pack: Int

    /// A discriminator with `hidden` units in each of `depth` hidden layers.
    public init(pack: Int = 1, hidden: Int = 128, depth: Int = 2, minibatchDiscrimination: Bool = false,
                generator: RandomGenerator = .global) {
        precondition(pack >= 1, "ToyDiscriminator needs pack >= 1")
        var layers: [any UnaryLayer] = []
        var width = 2 * pack
        for _ in 0..<depth { layers += [Linear(width, hidden, generator: generator), LeakyReLU(0.2)]; width = hidden }
        trunk = Sequential(layers)
        if minibatchDiscrimination {
            let layer = MinibatchDiscrimination(inFeatures: hidden, outFeatures: 8, kernelSize: 4, generator: generator)
            minibatch = layer
            width = hidden + layer.outFeatures
        }
        head = Linear(width, 1, generator: generator)
        self.pack = pack
        super.init()
    }

    /// The features of packed points [N, 2] -> [N/pack, hidden].
    public func features(_ points: Tensor) -> Tensor { trunk(PacGAN.pack(points, pack)) }

    /// One score per pack: [N, 2] -> [N/pack].
    public func callAsFunction(_ points: Tensor) -> Tensor {
        var h = features(points)
        if let minibatch { h = minibatch(h) }
        return head(h).reshape([-1])
    }
}
