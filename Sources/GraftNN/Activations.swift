import Graft

/// max(x, 0).
public final class ReLU: Module, UnaryLayer {
    /// The layer.
    public override init() { super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.relu() }
}

/// x for x > 0, slope·x otherwise.
public final class LeakyReLU: Module, UnaryLayer {
    /// The negative slope.
    public let slope: Float
    /// The layer.
    public init(_ slope: Float = 0.01) { self.slope = slope; super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.leakyRelu(slope) }
}

/// The hyperbolic tangent.
public final class Tanh: Module, UnaryLayer {
    /// The layer.
    public override init() { super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.tanh() }
}

/// The logistic function.
public final class Sigmoid: Module, UnaryLayer {
    /// The layer.
    public override init() { super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.sigmoid() }
}

/// GELU with the exact normal CDF.
public final class GELU: Module, UnaryLayer {
    /// The layer.
    public override init() { super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.gelu() }
}

/// log(1 + e^x).
public final class Softplus: Module, UnaryLayer {
    /// The layer.
    public override init() { super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.softplus() }
}

/// Softmax along an axis.
public final class Softmax: Module, UnaryLayer {
    let axis: Int
    /// The layer.
    public init(axis: Int = -1) { self.axis = axis; super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.softmax(axis: axis) }
}

/// Log-softmax along an axis.
public final class LogSoftmax: Module, UnaryLayer {
    let axis: Int
    /// The layer.
    public init(axis: Int = -1) { self.axis = axis; super.init() }
    /// Applies it.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.logSoftmax(axis: axis) }
}

/// A highway layer (Srivastava, Greff and Schmidhuber 2015), as in SeqGAN's discriminator:
/// y = t ⊙ relu(W_h x + b_h) + (1 - t) ⊙ x with the transform gate t = σ(W_t x + b_t).
public final class Highway: Module, UnaryLayer {
    /// The transform: H(x).
    public let transform: Linear
    /// The gate: T(x).
    public let gate: Linear

    /// A highway layer of width `features`; `gateBias` starts the gate towards carrying x.
    public init(_ features: Int, gateBias: Float = 0, generator: RandomGenerator = .global) {
        transform = Linear(features, features, generator: generator)
        gate = Linear(features, features, generator: generator)
        super.init()
        if gateBias != 0, let b = gate.bias { b.assign(Tensor.full(b.shape, gateBias)) }
    }

    /// Applies the layer.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let t = gate(x).sigmoid()
        return t * transform(x).relu() + (1 - t) * x
    }
}
