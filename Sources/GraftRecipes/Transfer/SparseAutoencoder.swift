import Graft
import GraftNN

/// The loss of a sparse autoencoder split into its three terms (each a recorded scalar).
public struct SparseAutoencoderLoss {
    /// (1/m) Σ ½‖x̂ − x‖², the mean squared reconstruction error per example.
    public let reconstruction: Tensor
    /// λ/2 (‖W₁‖² + ‖W₂‖²), decay on the weights (not the biases).
    public let weightDecay: Tensor
    /// β Σ_j KL(ρ ‖ ρ̂_j), the sparsity penalty.
    public let sparsity: Tensor
    /// The sum of the three.
    public var total: Tensor { reconstruction + weightDecay + sparsity }
}

/// A sparse autoencoder (Ng, "Sparse autoencoder", CS294A lecture notes 2011), the feature
/// learner of self-taught learning (Raina et al. 2007 learn their bases by sparse coding; the
/// course uses this network form). One sigmoid hidden layer a = σ(W₁ x + b₁), a reconstruction
/// x̂ = σ(W₂ a + b₂) (or W₂ a + b₂ with `linearDecoder`), and the objective
///
///     J = (1/m) Σ ½‖x̂ − x‖² + λ/2 (‖W₁‖² + ‖W₂‖²) + β Σ_j KL(ρ ‖ ρ̂_j),
///     KL(ρ ‖ ρ̂) = ρ log(ρ/ρ̂) + (1 − ρ) log((1 − ρ)/(1 − ρ̂)),
///
/// where ρ̂_j = (1/m) Σ_x a_j(x) is hidden unit j's mean activation over the batch and ρ the
/// target activation (small, e.g. 0.05), so that each unit responds to few inputs.
public final class SparseAutoencoder: Module {
    /// W₁, b₁: input to hidden.
    public let encoder: Linear
    /// W₂, b₂: hidden to reconstruction.
    public let decoder: Linear
    /// The target mean activation ρ.
    public let rho: Float
    /// The weight β of the sparsity penalty.
    public let beta: Float
    /// The weight-decay coefficient λ.
    public let weightDecay: Float
    /// Whether the reconstruction is linear (for inputs that are not in [0, 1]).
    public let linearDecoder: Bool

    /// An autoencoder from `inputSize` through `hiddenSize` sigmoid units.
    public init(inputSize: Int, hiddenSize: Int, rho: Float = 0.05, beta: Float = 3, weightDecay: Float = 1e-4,
                linearDecoder: Bool = false, generator: RandomGenerator = .global) {
        precondition(rho > 0 && rho < 1, "rho must be in (0, 1), got \(rho)")
        precondition(beta >= 0 && weightDecay >= 0, "beta and weightDecay must be non-negative")
        encoder = Linear(inputSize, hiddenSize, generator: generator)
        decoder = Linear(hiddenSize, inputSize, generator: generator)
        self.rho = rho
        self.beta = beta
        self.weightDecay = weightDecay
        self.linearDecoder = linearDecoder
        super.init()
    }

    /// The hidden activations a = σ(W₁ x + b₁) for inputs [N, inputSize], recorded for autodiff.
    public func hidden(_ x: Tensor) -> Tensor { encoder(x).sigmoid() }

    /// The reconstruction x̂ of hidden activations.
    public func reconstruct(_ a: Tensor) -> Tensor {
        let y = decoder(a)
        return linearDecoder ? y : y.sigmoid()
    }

    /// The learned features of `x` for a downstream classifier: the hidden activations,
    /// computed without recording (the features are fixed once the autoencoder is trained).
    public func features(_ x: Tensor) -> Tensor { noGrad { hidden(x) } }

    /// β Σ_j KL(ρ ‖ ρ̂_j) for mean activations `rhoHat` [H] (clamped into (1e-6, 1 − 1e-6)
    /// so that a dead or saturated unit gives a large finite penalty, not infinity).
    public static func sparsityPenalty(rho: Float, rhoHat: Tensor, beta: Float) -> Tensor {
        let r = rhoHat.clamp(min: 1e-6, max: 1 - 1e-6)
        let kl = rho * (Tensor(rho) / r).log() + (1 - rho) * (Tensor(1 - rho) / (1 - r)).log()
        return beta * kl.sum()
    }

    /// The three terms of J on the batch `x` [m, inputSize].
    public func lossTerms(_ x: Tensor) -> SparseAutoencoderLoss {
        precondition(x.rank == 2 && x.shape[1] == encoder.weight.shape[1], "expected inputs [m, \(encoder.weight.shape[1])], got \(x.shape)")
        let a = hidden(x)
        let xHat = reconstruct(a)
        let m = Float(x.shape[0])
        let reconstruction = (xHat - x).square().sum() * (0.5 / m)
        let decay = (weightDecay / 2) * (encoder.weight.square().sum() + decoder.weight.square().sum())
        let sparsity = Self.sparsityPenalty(rho: rho, rhoHat: a.mean(axis: 0), beta: beta)
        return SparseAutoencoderLoss(reconstruction: reconstruction, weightDecay: decay, sparsity: sparsity)
    }

    /// J on the batch `x` [m, inputSize].
    public func loss(_ x: Tensor) -> Tensor { lossTerms(x).total }
}
