import Graft

/// PacGAN packing (Lin, Khetan, Fanti, Oh 2018, Sec. 3): the discriminator judges m samples at
/// once, concatenated, so that a generator dropping modes is easier to spot: for m = 2 it sees
/// pairs. All m samples of a pack are real or all are generated.
public enum PacGAN {
    /// Packs `x` [N, ...] into [N/m, m * first feature axis, ...]: rows i*m ..< (i+1)*m become
    /// one row (for vectors [N, d] -> [N/m, m*d]; for images [N, C, H, W] -> [N/m, m*C, H, W]).
    public static func pack(_ x: Tensor, _ m: Int) -> Tensor {
        precondition(m >= 1, "PacGAN.pack needs m >= 1, got \(m)")
        precondition(x.rank >= 2 && x.shape[0] % m == 0, "PacGAN.pack: \(x.shape[0]) samples cannot be packed in groups of \(m)")
        if m == 1 { return x }
        var shape = x.shape
        shape[0] /= m
        shape[1] *= m
        return x.reshape(shape)
    }
}
