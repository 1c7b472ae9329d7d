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
        let out = Tensor(uninitializedShape: Array(logits.shape.dropLast()))
        let x = logits.storage.pointer, o = out.storage.pointer
        let invT = 1 / temperature
        withUnsafeTemporaryAllocation(of: Float.self, capacity: c) { buf in
            let e = buf.baseAddress!
            for r in 0..<rows {
                let row = x + r * c
                let m = ReduceKernels.reduceContiguous(.max, row, c)
                for j in 0..<c { e[j] = (row[j] - m) * invT }
                expArray(e, e, c)
                let total = ReduceKernels.reduceContiguous(.sum, e, c)
                let u = generator.nextFloat() * total
                var acc: Float = 0
                var pick = c - 1
                for j in 0..<c {
                    acc += e[j]
                    if u < acc { pick = j; break }
                }
                // Never pick a class of probability zero (rounding at the end of the scan).
                while e[pick] == 0 && pick > 0 { pick -= 1 }
                o[r] = Float(pick)
            }
        }
        return out
    }

    /// Standard Gumbel noise -log(-log(u)), u uniform in (0, 1).
    public static func gumbel(_ shape: [Int], generator: RandomGenerator = .global) -> Tensor {
        let t = Tensor(uninitializedShape: validated(shape, "gumbel"))
        let p = t.storage.pointer
        for i in 0..<t.count {
            // u in (0, 1): both logarithms finite.
            let u = Swift.min(generator.nextOpenFloat(), 1 - 0x1p-24)
            p[i] = -libmLog(-libmLog(u))
        }
        return t
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
