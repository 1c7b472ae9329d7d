extension Tensor {
    /// A tensor with the given values in row-major order; `values.count` must match `shape`.
    public convenience init(_ values: [Float], shape: [Int]) {
        let n = Shapes.count(shape)
        if values.count != n || shape.contains(where: { $0 < 0 }) {
            graftFatal(ShapeError(op: "Tensor(_:shape:)", "\(values.count) values do not fill shape \(shapeString(shape)) (\(n) elements)"))
        }
        self.init(shape: shape, storage: values.withUnsafeBufferPointer { Tensor.defaultBackend.makeStorage($0) })
    }

    /// A one-dimensional tensor.
    public convenience init(_ values: [Float]) { self.init(values, shape: [values.count]) }

    /// A scalar (shape `[]`).
    public convenience init(_ value: Float) {
        self.init(shape: [], storage: Tensor.defaultBackend.makeStorage(count: 1, repeating: value))
    }

    /// A matrix from rows of equal length.
    public convenience init(_ rows: [[Float]]) {
        let cols = rows.first?.count ?? 0
        if let bad = rows.firstIndex(where: { $0.count != cols }) {
            graftFatal(ShapeError(op: "Tensor(_ rows:)", "row \(bad) has \(rows[bad].count) values, row 0 has \(cols)"))
        }
        self.init(rows.flatMap { $0 }, shape: [rows.count, cols])
    }

    /// A tensor filled with one value.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        defaultBackend.full(validated(shape, "full"), value)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { full(other.shape, 0) }

    /// Ones with the shape of `other`.
    public static func ones(like other: Tensor) -> Tensor { full(other.shape, 1) }

    /// Values start, start + step, ... below end (like `torch.arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        if step == 0 || !step.isFinite { graftFatal(ShapeError(op: "arange", "step must be finite and non-zero, got \(step)")) }
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return defaultBackend.arange(start: start, step: step, count: n)
    }

    /// Integers 0..<n as a Float tensor.
    public static func arange(_ n: Int) -> Tensor { arange(0, Float(n)) }

    /// Standard normal values (times `std`, plus `mean`) from `generator`.
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        defaultBackend.random(.normal(mean: mean, std: std), shape: validated(shape, "randn"), generator: generator)
    }

    /// Uniform values in [low, high) from `generator`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        defaultBackend.random(.uniform(low: low, high: high), shape: validated(shape, "uniform"), generator: generator)
    }

    /// Uniform values in [0, 1), like `torch.rand`.
    public static func rand(_ shape: [Int], generator: RandomGenerator = .global) -> Tensor {
        uniform(shape, generator: generator)
    }

    /// Bernoulli draws: 1 with probability `p`, else 0.
    public static func bernoulli(_ shape: [Int], p: Float, generator: RandomGenerator = .global) -> Tensor {
        defaultBackend.random(.bernoulli(p: p), shape: validated(shape, "bernoulli"), generator: generator)
    }

    /// A copy of this tensor's values in fresh storage, outside the graph.
    public func copy() -> Tensor {
        backend.copy(self)
    }

    static func validated(_ shape: [Int], _ op: String) -> [Int] {
        if let bad = shape.first(where: { $0 < 0 }) {
            graftFatal(ShapeError(op: op, "negative size \(bad) in shape \(shapeString(shape))"))
        }
        return shape
    }
}
