extension Tensor {
    /// Draws one class per row of `logits` [..., C] from softmax(logits / temperature),
    /// returning whole-number indices of shape [...]. Uses one uniform number per row
    /// (inverse CDF), not one per class: sampling cost is one pass over the logits.
    public static func categorical(logits: Tensor, temperature: Float = 1, generator: RandomGenerator = .global) -> Tensor {
        guard logits.rank >= 1, let c = logits.shape.last, c > 0 else {
            graftFatal(ShapeError(op: "categorical", "needs logits with a non-empty class axis, got shape \(shapeString(logits.shape))"))
        }
        if !(temperature > 0) { graftFatal(ShapeError(op: "categorical", "temperature must be positive, got \(temperature)")) }
        let rows = logits.count / c
        // The uniform numbers are drawn in row order first, so rows can then run on any thread
        // and the picks do not depend on the thread count.
        let uniforms = (0..<rows).map { _ in generator.nextFloat() }
        return logits.backend.categorical(logits, invTemperature: 1 / temperature, uniforms: uniforms,
                                          shape: Array(logits.shape.dropLast()))
    }

    /// Standard Gumbel noise -log(-log(u)), u uniform in (0, 1).
    public static func gumbel(_ shape: [Int], generator: RandomGenerator = .global) -> Tensor {
        defaultBackend.random(.gumbel, shape: validated(shape, "gumbel"), generator: generator)
    }

    /// Draws `count` indices in 0..<weights.count with replacement, proportional to the
    /// non-negative `weights` (a vector).
    public static func multinomial(weights: Tensor, count: Int, generator: RandomGenerator = .global) -> Tensor {
        if weights.rank != 1 || weights.scalars.contains(where: { $0 < 0 || !$0.isFinite }) {
            graftFatal(ShapeError(op: "multinomial", "needs a vector of finite non-negative weights, got shape \(shapeString(weights.shape))"))
        }
        let logits = weights.log().reshape([1, -1]).expand([count, weights.count])
        return categorical(logits: logits, generator: generator)
    }
}
