import Graft

/// The adversarial losses of the course, on the discriminator's raw outputs (logits for the
/// original GAN, scores for WGAN and hinge). Each returns a scalar to minimise.
///
/// - minimax (Goodfellow et al. 2014, Eq. 1): D minimises -E[log D(x)] - E[log(1 - D(G(z)))];
///   G minimises E[log(1 - D(G(z)))] = -E[softplus(l)] for logits l, which saturates early on.
/// - non-saturating (the same paper, Sec. 3): G minimises -E[log D(G(z))] = E[softplus(-l)].
/// - wasserstein (Arjovsky, Chintala, Bottou 2017, Eq. 3): the critic minimises
///   E[f(G(z))] - E[f(x)], G minimises -E[f(G(z))]; pair it with weight clipping or a gradient penalty.
/// - hinge (Lim and Ye 2017; Miyato et al. 2018): D minimises E[relu(1 - f(x))] + E[relu(1 + f(G(z)))],
///   G minimises -E[f(G(z))].
public enum GANLoss: String, CaseIterable, Sendable, Codable {
    /// The original minimax game.
    case minimax
    /// The original game with the non-saturating generator loss.
    case nonSaturating = "non-saturating"
    /// The Wasserstein critic loss.
    case wasserstein
    /// The hinge loss.
    case hinge

    /// The discriminator's (critic's) loss on real and generated outputs, each [N] or [N, 1].
    public func discriminatorLoss(real: Tensor, fake: Tensor) -> Tensor {
        switch self {
        case .minimax, .nonSaturating:
            // -log sigmoid(r) = softplus(-r); -log(1 - sigmoid(f)) = softplus(f).
            return (-real).softplus().mean() + fake.softplus().mean()
        case .wasserstein:
            return fake.mean() - real.mean()
        case .hinge:
            return (1 - real).relu().mean() + (1 + fake).relu().mean()
        }
    }

    /// The generator's loss on the discriminator's outputs for generated samples.
    public func generatorLoss(fake: Tensor) -> Tensor {
        switch self {
        case .minimax: return -fake.softplus().mean()
        case .nonSaturating: return (-fake).softplus().mean()
        case .wasserstein, .hinge: return -fake.mean()
        }
    }
}
