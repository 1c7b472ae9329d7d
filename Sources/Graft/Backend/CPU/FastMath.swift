// Vectorised single-precision transcendental functions for the element-wise kernels.
//
// Every function works on `SIMD8<Float>` (one AVX2 register) and avoids the constructs that
// Swift compiles to slow outlined generic calls (`.clamped`, `SIMD8<Int32>(_:rounding:)`,
// integer-to-float conversions): ranges are handled with bitwise selects, rounding
// and 2^n with the 1.5 * 2^23 "magic number" bit trick.
//
// Accuracy (worst case over dense grids against Double libm, see FastMathTests):
//   exp      relative error 8.2e-8 on [-87.33, 88.72]; 0 below ln(FLT_MIN) (denormal results
//            are flushed to zero), +inf above ln(FLT_MAX).
//   log      relative error 7.9e-8 on all positive floats (denormals included);
//            log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf.
//   tanh     absolute error 7.7e-8, relative error 1.4e-7; saturates to exactly +-1.
//   sigmoid  absolute error 8.9e-8 (relative 1.5e-7); saturates to exactly 0 and 1.
//   softplus relative error 2.1e-7 on [-80, 80].
//   erf      absolute error 6.6e-8 (requirement: 1e-6).
//   gelu     absolute error <= 5e-7 max(1, |x|), both forms.
//   Blends use `FastMath.select` (bitwise, via SIMDMask) rather than `replacing(with:where:)`.
//   NaN in gives NaN out everywhere.

/// SIMD8 Cephes-style polynomial approximations of exp, log, tanh, sigmoid, softplus, erf and GELU.
enum FastMath {
    /// The vector type every FastMath function works on: eight floats, one AVX2 register.
    typealias Vector = SIMD8<Float>

    /// 1.5 * 2^23: adding it to a float of magnitude < 2^22 rounds it to an integer held in the low mantissa bits.
    static let roundingMagic: Float = 12_582_912.0
    /// Bit pattern of `roundingMagic` (0x4B40_0000).
    static let roundingMagicBits: Int32 = 0x4B40_0000

    // MARK: Bit helpers

    /// Reinterprets the bits of eight floats as eight Int32.
    @inline(always)
    static func bits(_ x: Vector) -> SIMD8<Int32> { unsafeBitCast(x, to: SIMD8<Int32>.self) }

    /// Reinterprets eight Int32 bit patterns as eight floats.
    @inline(always)
    static func float(bits b: SIMD8<Int32>) -> Vector { unsafeBitCast(b, to: Vector.self) }

    // The stdlib's SIMD `&`, `|`, `~`, shifts and `replacing(with:where:)` are generic per-lane
    // loops that LLVM must re-vectorise, which fails in large inlined kernels (whole kernels were
    // split into 128-bit halves or scalars, 3-6x slower). SIMDMask's `.&`, `.|`, `.^` are single
    // vector instructions, so all bit logic goes through them.

    /// Lane-wise bitwise AND (one vector instruction).
    @inline(always)
    static func and(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        (SIMDMask(a) .& SIMDMask(b))._storage
    }

    /// Lane-wise bitwise OR (one vector instruction).
    @inline(always)
    static func or(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        (SIMDMask(a) .| SIMDMask(b))._storage
    }

    /// Lane-wise bitwise XOR (one vector instruction).
    @inline(always)
    static func xor(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        (SIMDMask(a) .^ SIMDMask(b))._storage
    }

    /// Lane-wise `mask ? a : b` on floats (compiles to a blend).
    @inline(always)
    static func select(_ mask: SIMDMask<SIMD8<Int32>>, _ a: Vector, _ b: Vector) -> Vector {
        // b ^ ((a ^ b) & mask)
        let ab = xor(bits(a), bits(b))
        return float(bits: xor(bits(b), and(ab, mask._storage)))
    }

    /// Lane-wise `mask ? a : b` with a scalar `a`.
    @inline(always)
    static func select(_ mask: SIMDMask<SIMD8<Int32>>, _ a: Float, _ b: Vector) -> Vector {
        select(mask, Vector(repeating: a), b)
    }

    /// Lane-wise `mask ? a : b` on Int32 lanes.
    @inline(always)
    static func select(_ mask: SIMDMask<SIMD8<Int32>>, _ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        xor(b, and(xor(a, b), mask._storage))
    }

    /// |x| lane-wise, by clearing the sign bit.
    @inline(always)
    static func abs(_ x: Vector) -> Vector { float(bits: and(bits(x), SIMD8(repeating: 0x7FFF_FFFF))) }

    /// The magnitude of `magnitude` with the sign of `sign`, lane-wise (sign bit OR-ed in:
    /// `magnitude` must be non-negative).
    @inline(always)
    static func withSign(_ magnitude: Vector, of sign: Vector) -> Vector {
        let s = and(bits(sign), SIMD8(repeating: Int32(bitPattern: 0x8000_0000)))
        return float(bits: or(bits(magnitude), s))
    }

    /// 2^n for integer lanes n in [-126, 127], built directly in the exponent field.
    @inline(always)
    static func pow2(_ n: SIMD8<Int32>) -> Vector { float(bits: (n &+ 127) &* 8_388_608) }

    /// Converts Int32 lanes of magnitude < 2^22 to Float without the outlined generic conversion.
    @inline(always)
    static func toFloat(_ n: SIMD8<Int32>) -> Vector {
        float(bits: n &+ roundingMagicBits) - roundingMagic
    }

    // The multiply-adds go through `mulAdd` (MulAdd.swift): one rounding (vfmadd) where the
    // target has FMA instructions, a multiply and an add in a portable x86-64 build.

    /// a * b + c lane-wise (`mulAdd`).
    @inline(always)
    static func fma(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector { mulAdd(a, b, c) }

    /// a * b + c lane-wise, scalar addend (`mulAdd`).
    @inline(always)
    static func fma(_ a: Vector, _ b: Vector, _ c: Float) -> Vector { mulAdd(a, b, Vector(repeating: c)) }

    /// a * b + c lane-wise, scalar factor (`mulAdd`).
    @inline(always)
    static func fma(_ a: Vector, _ b: Float, _ c: Vector) -> Vector { mulAdd(a, Vector(repeating: b), c) }

    /// a * b + c lane-wise, scalar factor and addend (`mulAdd`).
    @inline(always)
    static func fma(_ a: Vector, _ b: Float, _ c: Float) -> Vector {
        mulAdd(a, Vector(repeating: b), Vector(repeating: c))
    }

    // MARK: exp / log

    /// The shared core of `exp` and `expNonPositive` for a clamped x: n = round(x / ln2) (as a
    /// float and as integers) and p = e^r for r = x - n ln2, so that e^x = p 2^n.
    @inline(always)
    static func reduceExp(_ xc: Vector) -> (p: Vector, nf: Vector, n: SIMD8<Int32>) {
        // n = round(x / ln2) via the magic-number trick; the low mantissa bits of t hold n.
        let t = fma(xc, 1.442_695_04, roundingMagic)
        let nf = t - roundingMagic
        let n = bits(t) &- roundingMagicBits
        // r = x - n ln2 in two steps (0.693359375 has few bits, so n * C1 is exact).
        var r = fma(nf, -0.693_359_375, xc)
        r = fma(nf, 2.121_944_40e-4, r)
        let z = r * r
        var p: Vector = Vector(repeating: 1.987_569_150_0e-4)
        p = fma(p, r, 1.398_199_950_7e-3)
        p = fma(p, r, 8.333_451_907_3e-3)
        p = fma(p, r, 4.166_579_589_4e-2)
        p = fma(p, r, 1.666_666_545_9e-1)
        p = fma(p, r, 5.000_000_120_1e-1)
        p = fma(p, z, r)
        p = p + 1
        return (p, nf, n)
    }

    /// e^x lane-wise (Cephes expf: Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, degree-7 polynomial).
    ///
    /// Returns 0 for x < ln(FLT_MIN) ~ -87.3365 (no denormal results), +inf for x > ln(FLT_MAX) ~ 88.7228,
    /// NaN for NaN. Max relative error ~8e-8.
    @inline(always)
    static func exp(_ x: Vector) -> Vector {
        // Clamp first: out-of-range lanes would otherwise compute denormal intermediates (slow
        // microcode assists) or garbage; they are overwritten at the end. NaN compares false and
        // flows through to the result.
        let underflow = x .< -87.336_540_222_167_97
        let overflow = x .> 88.722_831_726_074_22
        var xc = select(underflow, -87.336_540_222_167_97, x)
        xc = select(overflow, 88.722_831_726_074_22, xc)
        let (p, nf, n) = reduceExp(xc)
        // Scale by 2^n in two halves: n reaches 128 for x just below ln(FLT_MAX).
        // n1 = round(n / 2) without a shift (any split into two halves in [-63, 64] will do).
        let h = fma(nf, 0.5, roundingMagic)
        let n1 = bits(h) &- roundingMagicBits
        let n2 = n &- n1
        var y = p * pow2(n1) * pow2(n2)
        y = select(underflow, 0, y)
        y = select(overflow, .infinity, y)
        return y
    }

    /// e^x lane-wise for x <= 0 (softmax numerators after the max is subtracted): `exp`'s
    /// reduction and polynomial with one scaling by 2^n (n in [-126, 0] there) and no overflow
    /// handling, bitwise equal to `exp` on that range; lanes below ln(FLT_MIN) give 0 as
    /// in `exp`.
    @inline(always)
    static func expNonPositive(_ x: Vector) -> Vector {
        let underflow = x .< -87.336_540_222_167_97
        let xc = select(underflow, -87.336_540_222_167_97, x)
        let (p, _, n) = reduceExp(xc)
        return select(underflow, 0, p * pow2(n))
    }

    /// Natural logarithm lane-wise (Cephes logf: x = m 2^e with m in [sqrt(1/2), sqrt(2)), degree-9 polynomial).
    ///
    /// Handles denormal inputs exactly (pre-scaled by 2^23). log(0) = -inf, log(x < 0) = NaN,
    /// log(+inf) = +inf, log(NaN) = NaN. Max relative error ~8e-8.
    @inline(always)
    static func log(_ x: Vector) -> Vector {
        let tiny = x .< Float.leastNormalMagnitude
        let xs = select(tiny, x * 8_388_608.0, x)
        let b = bits(xs)
        var e = (b &>> 23) &- 126
        e = select(tiny, e &- 23, e)
        // Mantissa in [0.5, 1).
        let m = float(bits: or(and(b, SIMD8(repeating: 0x007F_FFFF)), SIMD8(repeating: 0x3F00_0000)))
        let lowHalf = m .< 0.707_106_781_186_547_524
        e = select(lowHalf, e &- 1, e)
        let f = select(lowHalf, m + m, m) - 1
        let ef = toFloat(e)
        let z = f * f
        var p: Vector = Vector(repeating: 7.037_683_629_2e-2)
        p = fma(p, f, -1.151_461_031_0e-1)
        p = fma(p, f, 1.167_699_874_0e-1)
        p = fma(p, f, -1.242_014_084_6e-1)
        p = fma(p, f, 1.424_932_278_7e-1)
        p = fma(p, f, -1.666_805_766_5e-1)
        p = fma(p, f, 2.000_071_476_5e-1)
        p = fma(p, f, -2.499_999_399_3e-1)
        p = fma(p, f, 3.333_333_117_4e-1)
        var y = p * f * z
        y = fma(ef, -2.121_944_40e-4, y)
        y = fma(z, -0.5, y)
        var r = f + y
        r = fma(ef, 0.693_359_375, r)
        r = select(x .== 0, -.infinity, r)
        r = select(.!(x .>= 0), .nan, r)
        r = select(x .== .infinity, .infinity, r)
        return r
    }

    // MARK: tanh / sigmoid / softplus

    /// Hyperbolic tangent lane-wise: odd polynomial for |x| < 0.625 (Cephes tanhf), else
    /// sign(x) (1 - 2 / (e^{2|x|} + 1)). Saturates to exactly +-1; max absolute error ~8e-8.
    @inline(always)
    static func tanh(_ x: Vector) -> Vector {
        let a = abs(x)
        let z = x * x
        var p: Vector = Vector(repeating: -5.704_988_727_45e-3)
        p = fma(p, z, 2.063_908_879_54e-2)
        p = fma(p, z, -5.373_971_555_31e-2)
        p = fma(p, z, 1.333_144_220_36e-1)
        p = fma(p, z, -3.333_328_194_22e-1)
        let small = fma(x * z, p, x)
        let e = exp(a + a)
        let large = withSign(1 - 2 / (e + 1), of: x)
        return select(a .< 0.625, small, large)
    }

    /// Logistic sigmoid 1 / (1 + e^{-x}) lane-wise. Saturates to exactly 0 and 1; max absolute error ~9e-8.
    @inline(always)
    static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// log(1 + u) for u in [0, 1] with full relative accuracy for tiny u (Kahan's trick:
    /// log(w) * u / (w - 1) with w = 1 + u, and u itself when w rounds to 1).
    @inline(always)
    static func log1pUnit(_ u: Vector) -> Vector {
        let w = 1 + u
        let d = w - 1
        let l = log(w) * (u / d)
        return select(d .== 0, u, l)
    }

    /// Softplus log(1 + e^x) lane-wise in the stable form max(x, 0) + log1p(e^{-|x|}).
    @inline(always)
    static func softplus(_ x: Vector) -> Vector {
        let u = exp(-abs(x))
        let positivePart = select(x .< 0, 0, x)
        return positivePart + log1pUnit(u)
    }

    // MARK: erf / GELU

    /// |x| below which erf uses its odd polynomial; above, erfc(|x|) = exp(poly(|x|)).
    static let erfSplit: Float = 0.921_875

    /// erf(x) for |x| < 0.921875: x + x P(x^2), P a degree-5 minimax fit (relative error ~2e-8 before rounding).
    @inline(always)
    static func erfSmall(_ x: Vector) -> Vector {
        let s = x * x
        var r: Vector = Vector(repeating: -6.013_609_236_106_277e-4)
        r = fma(r, s, 4.998_050_630_092_621e-3)
        r = fma(r, s, -2.677_027_322_351_932_5e-2)
        r = fma(r, s, 1.128_192_842_006_683_3e-1)
        r = fma(r, s, -3.761_250_674_724_579e-1)
        r = fma(r, s, 1.283_791_512_250_900_3e-1)
        return fma(r, x, x)
    }

    /// erfc(a) for a in [0.921875, 5]: exp(Q(a)), Q a degree-9 minimax fit of log(erfc(a))
    /// (absolute error ~2e-8 before rounding, so erfc has relative error ~1e-6 at worst).
    /// Returns 0 for a > 5 (erfc(5) ~ 1.5e-12) and for a = +inf; NaN for NaN.
    @inline(always)
    static func erfcLarge(_ a: Vector) -> Vector {
        var q: Vector = Vector(repeating: -1.022_586_957_333_260_2e-7)
        q = fma(q, a, 3.886_987_542_500_719_4e-6)
        q = fma(q, a, -6.747_214_501_956_478e-5)
        q = fma(q, a, 7.122_762_617_655_098e-4)
        q = fma(q, a, -5.147_450_137_883_425e-3)
        q = fma(q, a, 2.726_079_896_092_415e-2)
        q = fma(q, a, -1.112_492_457_032_203_7e-1)
        q = fma(q, a, -6.308_181_881_904_602e-1)
        q = fma(q, a, -1.130_720_853_805_542)
        q = fma(q, a, 4.208_539_030_514_657_5e-4)
        return select(a .> 5, 0, exp(q))
    }

    /// Error function lane-wise; max absolute error ~7e-8, exact +-1 beyond |x| ~ 3.9, erf(-x) = -erf(x).
    @inline(always)
    static func erf(_ x: Vector) -> Vector {
        let a = abs(x)
        let large = withSign(1 - erfcLarge(a), of: x)
        return select(a .< erfSplit, erfSmall(x), large)
    }

    /// GELU in its exact erf form, x * 0.5 * (1 + erf(x / sqrt 2)), lane-wise.
    ///
    /// Absolute error <= 5e-7 max(1, |x|). The negative tail is computed as
    /// x * 0.5 * erfc(|x| / sqrt 2), so it keeps a relative error <= 1e-6 + 1.5e-7 x^2 down to
    /// x ~ -7 (no cancellation); below x = -7.07 it is -0, below x = -10 (and for -inf) 0.
    @inline(always)
    static func gelu(_ x: Vector) -> Vector {
        let z = x * 0.707_106_781_186_547_524
        let a = abs(z)
        let half = 0.5 * erfcLarge(a)
        let cdfLarge = select(z .> 0, 1 - half, half)
        let cdfSmall = fma(erfSmall(z), 0.5, 0.5)
        let cdf = select(a .< erfSplit, cdfSmall, cdfLarge)
        return select(x .< -10, 0, x * cdf)
    }

    /// GELU in its tanh approximation, x * 0.5 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), lane-wise,
    /// evaluated as the identical x * sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)) to keep the negative
    /// tail accurate; 0 below x = -10 (also for x = -inf).
    @inline(always)
    static func geluTanh(_ x: Vector) -> Vector {
        let x3 = x * x * x
        let u = fma(x3, 0.044_715, x) * 1.595_769_121_605_730_7  // 2 * sqrt(2 / pi)
        let y = x / (1 + exp(-u))
        return select(x .< -10, 0, y)
    }

    // MARK: Array driver

    /// Applies `F.apply` to x[0..<n] and writes y[0..<n]: SIMD8 body, then the tail (< 8 elements)
    /// through the same vector function on a zero-padded vector, so that every element's result
    /// is the same wherever the caller splits the range. `F` is a type parameter rather than a
    /// closure so that each kernel is specialised with the function inlined into the loop (closures
    /// were left outlined and the drivers merged into one indirect-call loop, 1.5x slower).
    @inline(always)
    static func map<F: VectorFunction>(
        _: F.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int
    ) {
        let src = UnsafeRawPointer(x)
        let dst = UnsafeMutableRawPointer(y)
        let stride = MemoryLayout<Float>.stride
        var i = 0
        while i + 8 <= n {
            let a = src.loadUnaligned(fromByteOffset: i * stride, as: Vector.self)
            dst.storeBytes(of: F.apply(a), toByteOffset: i * stride, as: Vector.self)
            i += 8
        }
        if i < n {
            var v = Vector(repeating: 0)
            for k in 0..<(n - i) { v[k] = x[i + k] }
            let r = F.apply(v)
            for k in 0..<(n - i) { y[i + k] = r[k] }
        }
    }
}

/// A lane-wise function on `SIMD8<Float>`, as a type, so that array drivers specialise on it.
protocol VectorFunction {
    /// The function applied to eight lanes.
    static func apply(_ x: SIMD8<Float>) -> SIMD8<Float>
}

/// Namespace of the `VectorFunction` types behind the array kernels.
enum FastMathOp {
    /// `FastMath.exp` as a type.
    enum Exp: VectorFunction {
        /// Lane-wise e^x.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.exp(x) }
    }
    /// `FastMath.log` as a type.
    enum Log: VectorFunction {
        /// Lane-wise natural logarithm.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.log(x) }
    }
    /// `FastMath.tanh` as a type.
    enum Tanh: VectorFunction {
        /// Lane-wise tanh.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.tanh(x) }
    }
    /// `FastMath.sigmoid` as a type.
    enum Sigmoid: VectorFunction {
        /// Lane-wise logistic sigmoid.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.sigmoid(x) }
    }
    /// `FastMath.softplus` as a type.
    enum Softplus: VectorFunction {
        /// Lane-wise softplus.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.softplus(x) }
    }
    /// `FastMath.gelu` as a type.
    enum Gelu: VectorFunction {
        /// Lane-wise exact (erf) GELU.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.gelu(x) }
    }
    /// `FastMath.geluTanh` as a type.
    enum GeluTanh: VectorFunction {
        /// Lane-wise tanh-approximated GELU.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.geluTanh(x) }
    }
    /// `FastMath.erf` as a type.
    enum Erf: VectorFunction {
        /// Lane-wise erf.
        @inline(always) static func apply(_ x: SIMD8<Float>) -> SIMD8<Float> { FastMath.erf(x) }
    }
}

/// y[i] = e^x[i] for i in 0..<n. `x` and `y` may be the same buffer (in place) but must not
/// otherwise overlap; split a range by offsetting both pointers.
func expArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Exp.self, x, y, n)
}

/// y[i] = log(x[i]) for i in 0..<n (see `FastMath.log` for special values). In place allowed.
func logArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Log.self, x, y, n)
}

/// y[i] = tanh(x[i]) for i in 0..<n. In place allowed.
func tanhArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Tanh.self, x, y, n)
}

/// y[i] = 1 / (1 + e^-x[i]) for i in 0..<n. In place allowed.
func sigmoidArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Sigmoid.self, x, y, n)
}

/// y[i] = log(1 + e^x[i]) for i in 0..<n, in the overflow-free form. In place allowed.
func softplusArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Softplus.self, x, y, n)
}

/// y[i] = x[i] * 0.5 * (1 + erf(x[i] / sqrt 2)) (exact GELU) for i in 0..<n. In place allowed.
func geluArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Gelu.self, x, y, n)
}

/// y[i] = tanh-approximated GELU of x[i] for i in 0..<n. In place allowed.
func geluTanhArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.GeluTanh.self, x, y, n)
}

/// y[i] = erf(x[i]) for i in 0..<n. In place allowed.
func erfArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    FastMath.map(FastMathOp.Erf.self, x, y, n)
}
