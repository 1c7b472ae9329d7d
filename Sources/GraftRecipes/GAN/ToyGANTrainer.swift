import Graft
import GraftNN

/// How a 2-D GAN is trained: the loss and the course's fixes for mode dropping.
public struct ToyGANSettings: Codable, Sendable, Equatable {
    /// The adversarial loss (ignored by OT-GAN).
    public var loss: GANLoss = .nonSaturating
    /// PacGAN's m: points the discriminator judges together (1: no packing).
    public var pack: Int = 1
    /// Add a mini-batch discrimination layer to the discriminator.
    public var minibatchDiscrimination = false
    /// Train as OT-GAN: the critic's features and the mini-batch energy distance replace the loss.
    public var optimalTransport = false
    /// Sinkhorn's entropic regularisation for OT-GAN (cosine costs lie in [0, 2]).
    public var sinkhornEpsilon: Double = 0.05
    /// WGAN-GP's lambda, when set.
    public var gradientPenalty: Float?
    /// WGAN's weight-clipping limit, when set.
    public var weightClip: Float?
    /// Hidden units per layer in both networks.
    public var hidden = 128
    /// Points per batch (a multiple of `pack`).
    public var batchSize = 256
    /// Adam's learning rate for both networks (beta1 = 0.5, as in DCGAN).
    public var learningRate: Float = 1e-3
    /// Discriminator updates per generator update.
    public var discriminatorSteps = 1

    /// The default settings: the original GAN with the non-saturating loss.
    public init() {}

    /// A short label for reports, e.g. "GAN", "PacGAN2", "MBD", "OT-GAN".
    public var label: String {
        if optimalTransport { return "OT-GAN" }
        var parts: [String] = []
        switch loss {
        case .minimax, .nonSaturating: parts.append(pack > 1 ? "PacGAN\(pack)" : "GAN")
        case .wasserstein: parts.append(gradientPenalty != nil ? "WGAN-GP" : "WGAN")
        case .hinge: parts.append("hinge GAN")
        }
        if minibatchDiscrimination { parts = parts == ["GAN"] ? ["MBD"] : parts + ["+MBD"] }
        return parts.joined()
    }
}

/// Trains a `ToyGenerator` against a `ToyDiscriminator` on a `ToyMixture`.
public final class ToyGANTrainer {
    /// The settings.
    public let settings: ToyGANSettings
    /// The target distribution.
    public let data: ToyMixture
    /// The generator.
    public let generatorNet: ToyGenerator
    /// The discriminator (critic).
    public let discriminator: ToyDiscriminator
    let generatorOptimizer: Adam
    let discriminatorOptimizer: Adam
    let random: RandomGenerator

    /// A trainer whose initialisation and sampling follow `seed`.
    public init(settings: ToyGANSettings, data: ToyMixture, seed: UInt64) {
        precondition(settings.batchSize % settings.pack == 0, "the batch size \(settings.batchSize) must be a multiple of pack \(settings.pack)")
        self.settings = settings
        self.data = data
        random = RandomGenerator(seed: seed)
        generatorNet = ToyGenerator(noiseSize: 2, hidden: settings.hidden, generator: random)
        discriminator = ToyDiscriminator(pack: settings.optimalTransport ? 1 : settings.pack, hidden: settings.hidden,
                                         minibatchDiscrimination: settings.minibatchDiscrimination, generator: random)
        generatorOptimizer = Adam(generatorNet.namedParameters(), learningRate: settings.learningRate, beta1: 0.5)
        discriminatorOptimizer = Adam(discriminator.namedParameters(), learningRate: settings.learningRate, beta1: 0.5)
    }

    /// One round: `discriminatorSteps` critic updates, then one generator update. Returns the
    /// losses (for OT-GAN both are the energy distance).
    @discardableResult
    public func step() -> (discriminator: Float, generator: Float) {
        if settings.optimalTransport { return optimalTransportStep() }
        let n = settings.batchSize
        var dValue: Float = 0
        for _ in 0..<settings.discriminatorSteps {
            let real = data.sample(n, generator: random)
            let fake = noGrad { generatorNet.sample(n, generator: random) }
            var loss = settings.loss.discriminatorLoss(real: discriminator(real), fake: discriminator(fake))
            if let lambda = settings.gradientPenalty {
                loss = loss + GradientPenalty.penalty(critic: { self.discriminator($0) }, real: real, fake: fake,
                                                      lambda: lambda, generator: random)
            }
            discriminatorOptimizer.zeroGrad()
            loss.backward()
            discriminatorOptimizer.step()
            if let limit = settings.weightClip { WeightClipping.clip(discriminator, limit: limit) }
            dValue = loss.item
        }
        let gLoss = settings.loss.generatorLoss(fake: discriminator(generatorNet.sample(n, generator: random)))
        generatorOptimizer.zeroGrad()
        discriminatorOptimizer.zeroGrad()
        gLoss.backward()
        generatorOptimizer.step()
        discriminatorOptimizer.zeroGrad()
        return (dValue, gLoss.item)
    }

    private func optimalTransportStep() -> (discriminator: Float, generator: Float) {
        let n = settings.batchSize / 2
        func distance() -> Tensor {
            let x = discriminator.features(data.sample(n, generator: random))
            let x2 = discriminator.features(data.sample(n, generator: random))
            let y = discriminator.features(generatorNet.sample(n, generator: random))
            let y2 = discriminator.features(generatorNet.sample(n, generator: random))
            return OTGAN.energyDistance(real: x, real2: x2, fake: y, fake2: y2, epsilon: settings.sinkhornEpsilon)
        }
        // The critic maximises the distance, the generator minimises it.
        let critic = -distance()
        discriminatorOptimizer.zeroGrad(); generatorOptimizer.zeroGrad()
        critic.backward()
        discriminatorOptimizer.step()
        let d2 = distance()
        discriminatorOptimizer.zeroGrad(); generatorOptimizer.zeroGrad()
        d2.backward()
        generatorOptimizer.step()
        discriminatorOptimizer.zeroGrad()
        return (-critic.item, d2.item)
    }

    /// `count` points from the generator, without gradients.
    public func sample(_ count: Int) -> Tensor { noGrad { generatorNet.sample(count, generator: random) } }
}
