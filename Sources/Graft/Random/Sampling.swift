import GraftAVX512
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
        // The uniform numbers are drawn in row order first, so rows can then run on any thread
        // and the picks do not depend on the thread count.
        let uniforms = (0..<rows).map { _ in generator.nextFloat() }
        ThreadPool.shared.parallelChunks(total: rows, minChunk: Swift.max(1, parallelElementThreshold / 8 / c)) { range in
            let e = UnsafeMutablePointer<Float>.allocate(capacity: c)
            let blockSums = UnsafeMutablePointer<Float>.allocate(capacity: (c + categoricalBlock - 1) / categoricalBlock)
            defer { e.deallocate(); blockSums.deallocate() }
            for r in range {
                o[r] = Float(categoricalPick(x + r * c, c, invT: invT, u: uniforms[r], e: e, blockSums: blockSums))
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

/// Classes per block of the inverse-CDF scan in `categoricalPick`.
let categoricalBlock = 64

/// The inverse-CDF draw for one row of `c` logits: the first class j with u * Σ p < Σ_{i<=j} p,
/// p = e^((x - max) / T). Exponentials go to `e` (c floats); block sums (of `categoricalBlock`
/// classes, `blockSums` holds one per block) find the block before a scalar scan inside it.
@inline(__always)
func categoricalPick(_ row: UnsafePointer<Float>, _ c: Int, invT: Float, u: Float,
                     e: UnsafeMutablePointer<Float>, blockSums: UnsafeMutablePointer<Float>) -> Int {
    let m = ReduceKernels.reduceContiguous(.max, row, c)
    let mv = SIMD8<Float>(repeating: m), tv = SIMD8<Float>(repeating: invT)
    // e = exp((x - m) / T) in one pass; the arguments are <= 0, where expNonPositive equals exp
    // (and its 16-lane AVX-512 twin equals it bitwise, so the draws do not depend on the CPU).
    var j = GEMMKernel.preferred == .avx512 ? graftAVX512ShiftedExp(row, e, count: c, max: m, invT: invT) : 0
    while j + 8 <= c {
        let v = (UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - mv) * tv
        UnsafeMutableRawPointer(e + j).storeBytes(of: FastMath.expNonPositive(v), as: SIMD8<Float>.self)
        j += 8
    }
    if j < c {
        var v = SIMD8<Float>(repeating: 0)
        for k in 0..<(c - j) { v[k] = (row[j + k] - m) * invT }
        let r = FastMath.expNonPositive(v)
        for k in 0..<(c - j) { e[j + k] = r[k] }
    }
    let blocks = (c + categoricalBlock - 1) / categoricalBlock
    var total: Float = 0
    for b in 0..<blocks {
        let start = b * categoricalBlock
        let s = ReduceKernels.reduceContiguous(.sum, e + start, Swift.min(categoricalBlock, c - start))
        blockSums[b] = s
        total += s
    }
    let target = u * total
    var acc: Float = 0
    var pick = c - 1
    search: for b in 0..<blocks {
        if acc + blockSums[b] <= target && b < blocks - 1 { acc += blockSums[b]; continue }
        let start = b * categoricalBlock
        for k in start..<Swift.min(start + categoricalBlock, c) {
            acc += e[k]
            if target < acc { pick = k; break search }
        }
    }
    // Never pick a class of probability zero (rounding at the end of the scan).
    while e[pick] == 0 && pick > 0 { pick -= 1 }
    return pick
}

