/// The op codes a `Backend` dispatches on (tinygrad's `UnaryOps`/`BinaryOps`/`ReduceOps`):
/// one switch per op call, then a loop specialised for that op, never a closure per element.

/// Elementwise functions of one tensor.
enum UnaryOp: Sendable, Equatable {
    case neg, abs, sign, sqrt, relu
    case exp, log, tanh, sigmoid, softplus, gelu
    /// d gelu / dx = Phi(x) + x phi(x).
    case geluDerivative
    /// x where x > 0, else slope * x.
    case leakyRelu(slope: Float)
    /// x^p for a constant exponent (libm powf).
    case pow(Float)
}

/// Elementwise functions of two tensors, with NumPy broadcasting.
enum BinaryOp: Sendable, Equatable {
    case add, sub, mul, div
    /// Elementwise maximum and minimum (NaN in the first operand wins).
    case max, min
    /// a^b (libm powf).
    case pow
    /// Comparisons: 1 where true, 0 where false.
    case eq, ne, lt, le, gt, ge
    /// a where b > 0, else 0 (the ReLU backward).
    case passWherePositive
}

/// Reductions over the middle axis of an [outer, n, inner] view.
enum ReduceOp: Sendable, Equatable {
    case sum, max, min
}

/// What a random fill draws, one value per element in row-major order from the generator.
enum RandomFill: Sendable, Equatable {
    /// mean + std * N(0, 1).
    case normal(mean: Float, std: Float)
    /// Uniform in [low, high).
    case uniform(low: Float, high: Float)
    /// 1 with probability p, else 0.
    case bernoulli(p: Float)
    /// Standard Gumbel noise -log(-log(u)).
    case gumbel
    /// 1 / keep with probability keep, else 0 (an inverted-dropout mask).
    case dropoutMask(keep: Float)
}

/// What a fused cross-entropy forward keeps per row for its backward: the row's shift m (its
/// maximum) and log Σ e^(x - m), so that log p = (x - m) - logSum.
struct CrossEntropyRows {
    /// Per-row maxima.
    var shift: [Float]
    /// Per-row log Σ e^(x - shift).
    var logSum: [Float]
}
