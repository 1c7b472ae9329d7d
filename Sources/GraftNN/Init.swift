import Graft

/// Weight initialisers. Each returns a fresh leaf tensor that requires gradients.
public enum Init {
    /// Fan-in and fan-out of a weight: [out, in] for linear layers, [out, in, k...] for convolutions.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        guard shape.count >= 2 else { return (shape.first ?? 1, shape.first ?? 1) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Uniform in [-bound, bound].
    public static func uniform(_ shape: [Int], bound: Float, generator: RandomGenerator = .global) -> Tensor {
        Tensor.uniform(shape, low: -bound, high: bound, generator: generator).requiringGrad()
    }

    /// Normal with the given standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        Tensor.randn(shape, mean: mean, std: std, generator: generator).requiringGrad()
    }

    /// Zeros (biases, BatchNorm shifts).
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor.zeros(shape).requiringGrad() }

    /// Ones (BatchNorm and LayerNorm scales).
    public static func ones(_ shape: [Int]) -> Tensor { Tensor.ones(shape).requiringGrad() }

    /// Glorot and Bengio (2010): uniform with bound gain * sqrt(6 / (fanIn + fanOut)).
    public static func xavierUniform(_ shape: [Int], gain: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        let (fi, fo) = fans(shape)
        return uniform(shape, bound: gain * (6 / Float(fi + fo)).squareRoot(), generator: generator)
    }

    /// Glorot normal: std gain * sqrt(2 / (fanIn + fanOut)).
    public static func xavierNormal(_ shape: [Int], gain: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        let (fi, fo) = fans(shape)
        return normal(shape, std: gain * (2 / Float(fi + fo)).squareRoot(), generator: generator)
    }

    /// He et al. (2015) uniform for ReLU-family layers with negative slope `a`:
    /// bound sqrt(6 / ((1 + a²) fanIn)). With a = sqrt(5) this is PyTorch's default for
    /// Linear and Conv weights, bound 1/sqrt(fanIn).
    public static func kaimingUniform(_ shape: [Int], a: Float = 0, generator: RandomGenerator = .global) -> Tensor {
        let (fi, _) = fans(shape)
        return uniform(shape, bound: (6 / ((1 + a * a) * Float(fi))).squareRoot(), generator: generator)
    }

    /// He normal: std sqrt(2 / ((1 + a²) fanIn)).
    public static func kaimingNormal(_ shape: [Int], a: Float = 0, generator: RandomGenerator = .global) -> Tensor {
        let (fi, _) = fans(shape)
        return normal(shape, std: (2 / ((1 + a * a) * Float(fi))).squareRoot(), generator: generator)
    }

    /// Saxe et al. (2014): a (semi-)orthogonal matrix times `gain`, from the QR decomposition
    /// of a Gaussian matrix (Gram-Schmidt in Double, signs fixed so the result is uniform).
    public static func orthogonal(_ shape: [Int], gain: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        let rows = shape.first ?? 1
        let cols = shape.dropFirst().reduce(1, *)
        let (n, m) = (max(rows, cols), min(rows, cols))
        // Orthonormalise m random vectors of length n.
        var basis: [[Double]] = []
        while basis.count < m {
            var v = (0..<n).map { _ in Double(generator.nextNormal()) }
            for b in basis {
                let d = zip(v, b).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<n { v[i] -= d * b[i] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-6 { basis.append(v.map { $0 / norm }) }
        }
        var values = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                // Rows orthonormal when rows <= cols, columns orthonormal otherwise.
                values[r * cols + c] = gain * Float(rows <= cols ? basis[r][c] : basis[c][r])
            }
        }
        return Tensor(values, shape: shape).requiringGrad()
    }

    /// The weights of a recurrent cell with `gates` gates (LSTM 4, GRU 3), PyTorch's default:
    /// W_ih [gH, I], W_hh [gH, H], b_ih and b_hh [gH], all uniform in ±1/sqrt(H).
    public static func recurrent(gates: Int, inputSize: Int, hiddenSize: Int, generator: RandomGenerator = .global)
        -> (weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        let k = 1 / Float(hiddenSize).squareRoot(), g = gates * hiddenSize
        return (uniform([g, inputSize], bound: k, generator: generator), uniform([g, hiddenSize], bound: k, generator: generator),
                uniform([g], bound: k, generator: generator), uniform([g], bound: k, generator: generator))
    }
}
