import Graft
import GraftNN

/// The DCGAN generator for 28x28 images (Radford, Metz, Chintala 2016, Sec. 3 guidelines: a
/// projection, fractionally strided convolutions, batch normalisation and ReLU, no pooling):
/// z [N, noise] -> 128 x 7 x 7 -> 64 x 14 x 14 -> 1 x 28 x 28 in [0, 1] (sigmoid).
public final class DCGANGenerator: Module, UnaryLayer {
    /// z -> 128 * 7 * 7.
    public var project: Linear
    /// Batch normalisation of the projection.
    public var projectNorm: BatchNorm1d
    /// 128 x 7 x 7 -> 64 x 14 x 14.
    public var up1: ConvTranspose2d
    /// Batch normalisation after `up1`.
    public var norm1: BatchNorm2d
    /// 64 x 14 x 14 -> 1 x 28 x 28.
    public var up2: ConvTranspose2d
    /// The noise dimension.
    public let noiseSize: Int

    /// A generator for noise of `noiseSize` dimensions.
    public init(noiseSize: Int = 64, generator: RandomGenerator = .global) {
        project = Linear(noiseSize, 128 * 7 * 7, generator: generator)
        projectNorm = BatchNorm1d(128 * 7 * 7)
        up1 = ConvTranspose2d(128, 64, kernelSize: (4, 4), stride: (2, 2), padding: (1, 1), generator: generator)
        norm1 = BatchNorm2d(64)
        up2 = ConvTranspose2d(64, 1, kernelSize: (4, 4), stride: (2, 2), padding: (1, 1), generator: generator)
        self.noiseSize = noiseSize
        super.init()
    }

    /// Images [N, 1, 28, 28] for noise [N, noiseSize].
    public func callAsFunction(_ z: Tensor) -> Tensor {
        let h = projectNorm(project(z)).relu().reshape([z.shape[0], 128, 7, 7])
        return up2(norm1(up1(h)).relu()).sigmoid()
    }

    /// `count` images from fresh noise, in evaluation mode and without gradients.
    public func sample(_ count: Int, generator: RandomGenerator) -> Tensor {
        eval()
        defer { train() }
        return noGrad { self(Tensor.randn([count, noiseSize], generator: generator)) }
    }
}

/// The DCGAN discriminator for 28x28 images: strided convolutions with LeakyReLU(0.2), no
/// pooling, one logit: [N, 1, 28, 28] -> 64 x 14 x 14 -> 128 x 7 x 7 -> [N].
public final class DCGANDiscriminator: Module, UnaryLayer {
    /// 1 -> 64 channels, stride 2.
    public var conv1: Conv2d
    /// 64 -> 128 channels, stride 2.
    public var conv2: Conv2d
    /// The logit.
    public var head: Linear

    /// A discriminator.
    public init(generator: RandomGenerator = .global) {
        conv1 = Conv2d(1, 64, kernelSize: (4, 4), stride: (2, 2), padding: (1, 1), generator: generator)
        conv2 = Conv2d(64, 128, kernelSize: (4, 4), stride: (2, 2), padding: (1, 1), generator: generator)
        head = Linear(128 * 7 * 7, 1, generator: generator)
        super.init()
    }

    /// One logit per image.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = conv2(conv1(x).leakyRelu(0.2)).leakyRelu(0.2)
        return head(h.reshape([x.shape[0], -1])).reshape([-1])
    }
}

/// Trains a DCGAN pair with a `GANLoss` and Adam (learning rate 0.0002, beta1 0.5, as DCGAN).
public final class DCGANTrainer {
    /// The generator.
    public let generatorNet: DCGANGenerator
    /// The discriminator.
    public let discriminator: DCGANDiscriminator
    /// The loss.
    public let loss: GANLoss
    let generatorOptimizer: Adam
    let discriminatorOptimizer: Adam
    let random: RandomGenerator

    /// A trainer whose initialisation and noise follow `seed`.
    public init(loss: GANLoss = .nonSaturating, noiseSize: Int = 64, seed: UInt64) {
        random = RandomGenerator(seed: seed)
        generatorNet = DCGANGenerator(noiseSize: noiseSize, generator: random)
        discriminator = DCGANDiscriminator(generator: random)
        self.loss = loss
        generatorOptimizer = Adam(generatorNet.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        discriminatorOptimizer = Adam(discriminator.namedParameters(), learningRate: 2e-4, beta1: 0.5)
    }

    /// One discriminator and one generator update on the real batch `real` [N, 1, 28, 28].
    @discardableResult
    public func step(real: Tensor) -> (discriminator: Float, generator: Float) {
        let n = real.shape[0]
        let fake = noGrad { generatorNet(Tensor.randn([n, generatorNet.noiseSize], generator: random)) }
        let dLoss = loss.discriminatorLoss(real: discriminator(real), fake: discriminator(fake))
        discriminatorOptimizer.zeroGrad()
        dLoss.backward()
        discriminatorOptimizer.step()
        let gLoss = loss.generatorLoss(fake: discriminator(generatorNet(Tensor.randn([n, generatorNet.noiseSize], generator: random))))
        generatorOptimizer.zeroGrad()
        gLoss.backward()
        generatorOptimizer.step()
        discriminatorOptimizer.zeroGrad()
        return (dLoss.item, gLoss.item)
    }

    /// `count` generated images, without gradients.
    public func sample(_ count: Int) -> Tensor { generatorNet.sample(count, generator: random) }
}
