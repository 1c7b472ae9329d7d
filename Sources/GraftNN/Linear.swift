import Graft

/// A function of one tensor: the common interface of layers that `Sequential` chains.
public protocol UnaryLayer: Module {
    /// Applies the layer.
    func callAsFunction(_ x: Tensor) -> Tensor
}

/// y = x Wᵀ + b, with W of shape [out, in] (PyTorch's layout and default initialisation:
/// W and b uniform in ±1/sqrt(in)).
public final class Linear: Module, UnaryLayer {
    /// The weight, [outFeatures, inFeatures].
    public var weight: Tensor
    /// The bias, [outFeatures], when the layer has one.
    public var bias: Tensor?

    /// A linear layer from `inFeatures` to `outFeatures`.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: RandomGenerator = .global) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear needs positive sizes, got \(inFeatures) -> \(outFeatures)")
        weight = Init.kaimingUniform([outFeatures, inFeatures], a: Float(5).squareRoot(), generator: generator)
        let bound = 1 / Float(inFeatures).squareRoot()
        self.bias = bias ? Init.uniform([outFeatures], bound: bound, generator: generator) : nil
        super.init()
    }

    /// Applies the layer to [..., inFeatures].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: weight, bias: bias)
    }
}
