/// A binary pointwise function with a SIMD form, specialised into the loops below.
protocol BinaryKernel {
    static func apply(_ a: Float, _ b: Float) -> Float
    static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
}

/// A unary pointwise function with a SIMD form.
protocol UnaryKernel {
    static func apply(_ x: Float) -> Float
    static func apply(_ x: SIMD8<Float>) -> SIMD8<Float>
}

/// Elements below which a pointwise op stays on one thread (about 20-50 us of work).
let parallelElementThreshold = 1 << 16

enum Pointwise {
    /// out[i] = op(a[i*sa], b[i*sb]) for i in 0..<n, with sa, sb in {0, 1}.
    @inline(__always)
    static func row<K: BinaryKernel>(_: K.Type, _ a: UnsafePointer<Float>, _ sa: Int,
                                      _ b: UnsafePointer<Float>, _ sb: Int,
                                      _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        switch (sa, sb) {
        case (1, 1):
            while i + 8 <= n {
                let r = K.apply(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self),
                                UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self))
                UnsafeMutableRawPointer(out + i).storeBytes(of: r, as: SIMD8<Float>.self)
                i += 8
            }
            while i < n { out[i] = K.apply(a[i], b[i]); i += 1 }
        case (1, 0):
            let bv = SIMD8<Float>(repeating: b[0]), bs = b[0]
            while i + 8 <= n {
                let r = K.apply(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self), bv)
                UnsafeMutableRawPointer(out + i).storeBytes(of: r, as: SIMD8<Float>.self)
                i += 8
            }
            while i < n { out[i] = K.apply(a[i], bs); i += 1 }
        case (0, 1):
            let av = SIMD8<Float>(repeating: a[0]), as_ = a[0]
            while i + 8 <= n {
                let r = K.apply(av, UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self))
                UnsafeMutableRawPointer(out + i).storeBytes(of: r, as: SIMD8<Float>.self)
                i += 8
            }
            while i < n { out[i] = K.apply(as_, b[i]); i += 1 }
        default:
            let v = K.apply(a[0], b[0])
            out.update(repeating: v, count: n)
        }
    }

    /// Applies a binary kernel with NumPy broadcasting into a new tensor.
    static func binary<K: BinaryKernel>(_ k: K.Type, _ a: Tensor, _ b: Tensor, outShape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: outShape)
        let pa = UnsafePointer(a.storage.pointer), pb = UnsafePointer(b.storage.pointer)
        let po = out.storage.pointer
        let total = out.count
        if total == 0 { return out }
        if a.shape == b.shape {
            ThreadPool.shared.parallelChunks(total: total, minChunk: parallelElementThreshold) { r in
                row(k, pa + r.lowerBound, 1, pb + r.lowerBound, 1, po + r.lowerBound, r.count)
            }
            return out
        }
        // Common patterns without building a plan: a scalar operand, or an operand that is a
        // trailing block of the output (bias rows) against a full-size one.
        if b.count == 1 && a.count == total {
            ThreadPool.shared.parallelChunks(total: total, minChunk: parallelElementThreshold) { r in
                row(k, pa + r.lowerBound, 1, pb, 0, po + r.lowerBound, r.count)
            }
            return out
        }
        if a.count == 1 && b.count == total {
            ThreadPool.shared.parallelChunks(total: total, minChunk: parallelElementThreshold) { r in
                row(k, pa, 0, pb + r.lowerBound, 1, po + r.lowerBound, r.count)
            }
            return out
        }
        if a.count == total, isTrailingBlock(b.shape, of: outShape) {
            let n = b.count
            ThreadPool.shared.parallelChunks(total: total / n, minChunk: max(1, parallelElementThreshold / n)) { rows in
                for r in rows { row(k, pa + r * n, 1, pb, 1, po + r * n, n) }
            }
            return out
        }
        if b.count == total, isTrailingBlock(a.shape, of: outShape) {
            let n = a.count
            ThreadPool.shared.parallelChunks(total: total / n, minChunk: max(1, parallelElementThreshold / n)) { rows in
                for r in rows { row(k, pa, 1, pb + r * n, 1, po + r * n, n) }
            }
            return out
        }
        let plan = BroadcastPlan(a.shape, b.shape, out: outShape)
        let inner = plan.inner
        let ia = plan.aStrides.last!, ib = plan.bStrides.last!
        if plan.outer == 1 {
            ThreadPool.shared.parallelChunks(total: inner, minChunk: parallelElementThreshold) { r in
                row(k, pa + r.lowerBound * ia, ia, pb + r.lowerBound * ib, ib, po + r.lowerBound, r.count)
            }
            return out
        }
        let minRows = max(1, parallelElementThreshold / max(inner, 1))
        ThreadPool.shared.parallelChunks(total: plan.outer, minChunk: minRows) { rows in
            plan.forEachRow(rows) { oa, ob, oo in
                row(k, pa + oa, ia, pb + ob, ib, po + oo, inner)
            }
        }
        return out
    }

    /// Whether `shape` (leading 1s ignored) equals the trailing axes of `out`, so that it
    /// repeats as one contiguous block.
    @inline(__always)
    static func isTrailingBlock(_ shape: [Int], of out: [Int]) -> Bool {
        var i = shape.count - 1, j = out.count - 1
        while i >= 0 && j >= 0 && shape[i] == out[j] { i -= 1; j -= 1 }
        while i >= 0 && shape[i] == 1 { i -= 1 }
        return i < 0
    }

    /// a += b for tensors of the same shape (gradient accumulation).
    static func addInPlace(_ a: Tensor, _ b: Tensor) {
        let pa = a.storage.pointer, pb = UnsafePointer(b.storage.pointer)
        ThreadPool.shared.parallelChunks(total: a.count, minChunk: parallelElementThreshold) { r in
            row(AddKernel.self, pa + r.lowerBound, 1, pb + r.lowerBound, 1, pa + r.lowerBound, r.count)
        }
    }

    /// Applies a unary kernel into a new tensor of the same shape.
    static func unary<K: UnaryKernel>(_: K.Type, _ x: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape)
        let px = UnsafePointer(x.storage.pointer), po = out.storage.pointer
        ThreadPool.shared.parallelChunks(total: x.count, minChunk: parallelElementThreshold) { r in
            var i = r.lowerBound
            while i + 8 <= r.upperBound {
                let v = K.apply(UnsafeRawPointer(px + i).loadUnaligned(as: SIMD8<Float>.self))
                UnsafeMutableRawPointer(po + i).storeBytes(of: v, as: SIMD8<Float>.self)
                i += 8
            }
            while i < r.upperBound { po[i] = K.apply(px[i]); i += 1 }
        }
        return out
    }

    /// Applies an array kernel (such as the fast exp) into a new tensor, in parallel chunks.
    static func mapArray(_ x: Tensor, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape)
        let px = UnsafePointer(x.storage.pointer), po = out.storage.pointer
        ThreadPool.shared.parallelChunks(total: x.count, minChunk: parallelElementThreshold / 4) { r in
            kernel(px + r.lowerBound, po + r.lowerBound, r.count)
        }
        return out
    }
}

// MARK: - The kernels

enum AddKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a + b }
}
enum SubKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a - b }
}
enum MulKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a * b }
}
enum DivKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a / b }
}
enum MaxKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a.isNaN || a >= b ? a : b }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        b.replacing(with: a, where: (a .>= b) .| (a .!= a))
    }
}
enum MinKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a.isNaN || a <= b ? a : b }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        b.replacing(with: a, where: (a .<= b) .| (a .!= a))
    }
}
/// 1 where a == b, else 0 (and the other comparisons below).
enum EqKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: a .== b)
    }
}
enum NeKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: a .!= b)
    }
}
enum LtKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: a .< b)
    }
}
enum LeKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: a .<= b)
    }
}
enum GtKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: a .> b)
    }
}
enum GeKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: a .>= b)
    }
}

/// a where b > 0, else 0 (the ReLU backward).
enum PassWherePositiveKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { b > 0 ? a : 0 }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: a, where: b .> 0)
    }
}

enum NegKernel: UnaryKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { -x }
    @inline(__always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { -x }
}
enum AbsKernel: UnaryKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { abs(x) }
    @inline(__always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { x.replacing(with: -x, where: x .< 0) }
}
enum SqrtKernel: UnaryKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { x.squareRoot() }
    @inline(__always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { x.squareRoot() }
}
enum ReluKernel: UnaryKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? x : 0 }
    @inline(__always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { SIMD8(repeating: 0).replacing(with: x, where: x .> 0) }
}
/// The sign: -1, 0 or 1.
enum SignKernel: UnaryKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    @inline(__always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(repeating: 0).replacing(with: 1, where: x .> 0).replacing(with: -1, where: x .< 0)
    }
}
