import Graft
import GraftNN

/// Mini-batch discrimination (Salimans et al. 2016, Sec. 3.2): with features f(x_i) in R^A and a
/// learned tensor T in R^{A x B x C}, M_i = f(x_i) T in R^{B x C}, c_b(x_i, x_j) =
/// exp(-||M_{i,b} - M_{j,b}||_1) and o(x_i)_b = sum_{j != i} c_b(x_i, x_j); the layer returns
/// [f(x_i), o(x_i)], so the discriminator sees how close each sample is to the rest of its batch
/// and can tell a collapsed batch from a varied one.
public final class MinibatchDiscrimination: Module, UnaryLayer {
    /// T, stored as [A, B*C].
    public var kernels: Tensor
    /// B, the number of closeness features added.
    public let outFeatures: Int
    /// C, the size of each projection.
    public let kernelSize: Int

    /// A layer for `inFeatures` inputs adding `outFeatures` closeness features, each from a
    /// projection of `kernelSize` dimensions.
    public init(inFeatures: Int, outFeatures: Int = 16, kernelSize: Int = 8, generator: RandomGenerator = .global) {
        precondition(inFeatures > 0 && outFeatures > 0 && kernelSize > 0, "MinibatchDiscrimination needs positive sizes")
        kernels = Tensor.randn([inFeatures, outFeatures * kernelSize], std: 0.1, generator: generator)
        self.outFeatures = outFeatures
        self.kernelSize = kernelSize
        super.init()
    }

    /// [N, A] -> [N, A + B].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == kernels.shape[0], "MinibatchDiscrimination expects [N, \(kernels.shape[0])], got \(x.shape)")
        let m = x.matmul(kernels).reshape([x.shape[0], outFeatures, kernelSize])
        return Tensor.concat([x, MinibatchDiscrimination.closeness(m)], axis: 1)
    }

    /// o[i, b] = sum_{j != i} exp(-sum_c |m[i, b, c] - m[j, b, c]|) for m [N, B, C]: Graft's
    /// fused `Tensor.minibatchCloseness()`.
    public static func closeness(_ m: Tensor) -> Tensor { m.minibatchCloseness() }
}
