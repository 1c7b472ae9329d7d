import Foundation
import Testing
@testable import Graft

/// A float array kernel's signature: input, output, count.
private typealias ArrayKernel = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

/// Runs `kernel` over `xs` and returns the outputs.
private func apply(_ kernel: ArrayKernel, _ xs: [Float]) -> [Float] {
    var ys = [Float](repeating: .nan, count: xs.count)
    xs.withUnsafeBufferPointer { x in
        ys.withUnsafeMutableBufferPointer { y in
            kernel(x.baseAddress!, y.baseAddress!, xs.count)
        }
    }
    return ys
}

/// `count` evenly spaced floats from `lo` to `hi` inclusive.
private func grid(_ lo: Float, _ hi: Float, count: Int) -> [Float] {
    (0..<count).map { i in
        Float(Double(lo) + (Double(hi) - Double(lo)) * Double(i) / Double(count - 1))
    }
}

/// Worst relative and absolute errors of `ys` against `reference` evaluated in Double.
private struct ErrorStats {
    /// Largest |y - ref| / |ref| (lanes where ref == 0 count only if y != 0).
    var maxRelative = 0.0
    /// Input at which `maxRelative` occurred.
    var worstRelativeAt: Float = 0
    /// Largest |y - ref|.
    var maxAbsolute = 0.0
    /// Input at which `maxAbsolute` occurred.
    var worstAbsoluteAt: Float = 0

    /// Compares `ys` with `reference(xs)`.
    init(_ xs: [Float], _ ys: [Float], _ reference: (Double) -> Double) {
        for (x, y) in zip(xs, ys) {
            let r = reference(Double(x))
            let e = abs(Double(y) - r)
            let rel = r == 0 ? (y == 0 ? 0 : Double.infinity) : e / abs(r)
            if !(rel <= maxRelative) { maxRelative = rel; worstRelativeAt = x }
            if !(e <= maxAbsolute) { maxAbsolute = e; worstAbsoluteAt = x }
        }
    }
}

/// Floats with bit patterns from `lo` to `hi` in steps of `step` (covers every binade evenly).
private func bitPatternGrid(from lo: UInt32, to hi: UInt32, step: UInt32) -> [Float] {
    stride(from: lo, through: hi, by: Int(step)).map { Float(bitPattern: $0) }
}

/// Reference GELU (erf form) in Double, with the tail via erfc to keep its relative accuracy.
private func geluReference(_ x: Double) -> Double { x * 0.5 * erfc(-x / 2.0.squareRoot()) }

/// Reference tanh-approximated GELU in Double, written as x * sigmoid(2u) to avoid cancellation.
private func geluTanhReference(_ x: Double) -> Double {
    let u = (2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)
    return x / (1 + Foundation.exp(-2 * u))
}

/// Reference softplus in Double.
private func softplusReference(_ x: Double) -> Double {
    max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
}

/// Tests of the FastMath kernels.
@Suite("FastMath")
struct FastMathTests {
    /// Checks exp: relative error <= 2e-7 on [-87.33, 88.72], 0 below, +inf above.
    @Test("exp: relative error <= 2e-7 on [-87.33, 88.72], 0 below, +inf above")
    func expAccuracy() {
        let xs = grid(-87.336, 88.722, count: 250_003) + grid(-1, 1, count: 100_001)
        let stats = ErrorStats(xs, apply(expArray, xs), Foundation.exp)
        #expect(stats.maxRelative <= 2e-7, "worst at \(stats.worstRelativeAt)")

        let specials: [Float] = [0, -0.0, 1, -87.3365, -87.34, -88, -100, -1e30, -.infinity,
                                 88.7228, 88.7229, 89, 1e30, .infinity, .nan]
        let ys = apply(expArray, specials)
        #expect(ys[0] == 1 && ys[1] == 1)
        #expect(abs(Double(ys[2]) - M_E) / M_E < 2e-7)
        #expect(ys[3] > 0 && ys[3].isNormal)
        for k in 4...8 { #expect(ys[k] == 0, "exp(\(specials[k])) = \(ys[k])") }
        #expect(ys[9].isFinite && ys[9] > 3.4e38)
        for k in 10...13 { #expect(ys[k] == .infinity, "exp(\(specials[k])) = \(ys[k])") }
        #expect(ys[14].isNaN)
    }

    /// Checks that the softmax-numerator exp (x <= 0), and its AVX-512 twin where the CPU has
    /// AVX-512F, are bitwise FastMath.exp there, underflow included.
    @Test("expNonPositive and categoricalPick's numerators (AVX-512 or AVX2) equal exp bitwise on x <= 0")
    func expNonPositiveMatchesExp() {
        let xs = grid(-90, 0, count: 200_000) + [0, -0.0, -87.3365, -87.34, -1e-30, -100, -.infinity]
        let expected = apply(expArray, xs)
        let eight = apply({ x, y, n in
            var i = 0
            while i < n {
                var v = SIMD8<Float>(repeating: 0)
                for k in 0..<min(8, n - i) { v[k] = x[i + k] }
                let r = FastMath.expNonPositive(v)
                for k in 0..<min(8, n - i) { y[i + k] = r[k] }
                i += 8
            }
        }, xs)
        #expect(eight.map(\.bitPattern) == expected.map(\.bitPattern))
        // categoricalPick's numerators (16 lanes with AVX-512, then 8): the row's maximum is 0,
        // so e = exp(x) exactly as expArray computes it.
        var e = [Float](repeating: .nan, count: xs.count), sums = [Float](repeating: 0, count: xs.count / 64 + 1)
        xs.withUnsafeBufferPointer { x in
            e.withUnsafeMutableBufferPointer { ep in
                sums.withUnsafeMutableBufferPointer { sp in
                    _ = categoricalPick(x.baseAddress!, xs.count, invT: 1, u: 0.5, e: ep.baseAddress!, blockSums: sp.baseAddress!)
                }
            }
        }
        #expect(e.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    /// Checks log: relative error <= 2e-7 on all positive floats, special values.
    @Test("log: relative error <= 2e-7 on all positive floats, special values")
    func logAccuracy() {
        // Every binade from the smallest denormal to the largest finite float.
        let xs = bitPatternGrid(from: 1, to: 0x7F7F_FFFF, step: 6143)
            + grid(0.5, 2, count: 200_001)
        let stats = ErrorStats(xs, apply(logArray, xs), Foundation.log)
        #expect(stats.maxRelative <= 2e-7, "worst at \(stats.worstRelativeAt)")

        let specials: [Float] = [1, 0, -0.0, -1, -.infinity, .infinity, .nan, .leastNonzeroMagnitude,
                                 .greatestFiniteMagnitude]
        let ys = apply(logArray, specials)
        #expect(ys[0] == 0)
        #expect(ys[1] == -.infinity && ys[2] == -.infinity)
        #expect(ys[3].isNaN && ys[4].isNaN)
        #expect(ys[5] == .infinity)
        #expect(ys[6].isNaN)
        #expect(abs(Double(ys[7]) - Foundation.log(Double(Float.leastNonzeroMagnitude))) < 1e-5)
        #expect(abs(Double(ys[8]) - Foundation.log(Double(Float.greatestFiniteMagnitude))) < 1e-5)
    }

    /// Checks tanh: absolute error < 3e-7 on [-20, 20], exact saturation, NaN.
    @Test("tanh: absolute error < 3e-7 on [-20, 20], exact saturation, NaN")
    func tanhAccuracy() {
        let xs = grid(-20, 20, count: 200_001) + grid(-1, 1, count: 100_001)
        let stats = ErrorStats(xs, apply(tanhArray, xs), Foundation.tanh)
        #expect(stats.maxAbsolute < 3e-7, "worst at \(stats.worstAbsoluteAt)")
        // Relative accuracy near 0 (odd polynomial branch).
        let small = grid(-0.6, 0.6, count: 100_001).filter { $0 != 0 }
        #expect(ErrorStats(small, apply(tanhArray, small), Foundation.tanh).maxRelative < 3e-7)

        let ys = apply(tanhArray, [10, -10, 20, -20, 1e30, -1e30, .infinity, -.infinity, .nan, 0])
        #expect(ys[0] == 1 && ys[1] == -1 && ys[2] == 1 && ys[3] == -1)
        #expect(ys[4] == 1 && ys[5] == -1 && ys[6] == 1 && ys[7] == -1)
        #expect(ys[8].isNaN)
        #expect(ys[9] == 0)
    }

    /// Checks sigmoid: absolute error < 3e-7 on [-20, 20], exact saturation, NaN.
    @Test("sigmoid: absolute error < 3e-7 on [-20, 20], exact saturation, NaN")
    func sigmoidAccuracy() {
        let xs = grid(-20, 20, count: 200_001)
        let stats = ErrorStats(xs, apply(sigmoidArray, xs)) { 1 / (1 + Foundation.exp(-$0)) }
        #expect(stats.maxAbsolute < 3e-7, "worst at \(stats.worstAbsoluteAt)")
        // Relative accuracy of the small negative tail as well.
        let tail = grid(-80, -5, count: 100_001)
        let tailStats = ErrorStats(tail, apply(sigmoidArray, tail)) { 1 / (1 + Foundation.exp(-$0)) }
        #expect(tailStats.maxRelative < 3e-7, "worst at \(tailStats.worstRelativeAt)")

        let ys = apply(sigmoidArray, [0, 100, -200, .infinity, -.infinity, .nan])
        #expect(ys[0] == 0.5)
        #expect(ys[1] == 1 && ys[2] == 0 && ys[3] == 1 && ys[4] == 0)
        #expect(ys[5].isNaN)
    }

    /// Checks softplus: relative error < 1e-6 on [-80, 80], no overflow, special values.
    @Test("softplus: relative error < 1e-6 on [-80, 80], no overflow, special values")
    func softplusAccuracy() {
        let xs = grid(-80, 80, count: 200_001)
        let stats = ErrorStats(xs, apply(softplusArray, xs), softplusReference)
        #expect(stats.maxRelative < 1e-6, "worst at \(stats.worstRelativeAt)")
        let ys = apply(softplusArray, [0, 1000, -1000, .infinity, -.infinity, .nan, 1e-30])
        #expect(abs(Double(ys[0]) - Foundation.log(2.0)) < 1e-7)
        #expect(ys[1] == 1000 && ys[2] == 0)
        #expect(ys[3] == .infinity && ys[4] == 0)
        #expect(ys[5].isNaN)
        #expect(abs(Double(ys[6]) - Foundation.log(2.0)) < 1e-7)
    }

    /// Checks erf: absolute error < 2e-7 on [-6, 6] (requirement 1e-6), odd, saturates.
    @Test("erf: absolute error < 2e-7 on [-6, 6] (requirement 1e-6), odd, saturates")
    func erfAccuracy() {
        let xs = grid(-6, 6, count: 200_001) + grid(-1, 1, count: 100_001)
        let stats = ErrorStats(xs, apply(erfArray, xs), Foundation.erf)
        #expect(stats.maxAbsolute < 2e-7, "worst at \(stats.worstAbsoluteAt)")
        let ys = apply(erfArray, [0, 5, -5, .infinity, -.infinity, .nan, 0.5, -0.5])
        #expect(ys[0] == 0 && ys[1] == 1 && ys[2] == -1 && ys[3] == 1 && ys[4] == -1)
        #expect(ys[5].isNaN)
        #expect(ys[6] == -ys[7])
    }

    /// Checks gelu (erf form): error <= 5e-7 * max(1, |x|), relative tail error, special values.
    @Test("gelu (erf form): error <= 5e-7 * max(1, |x|), relative tail error, special values")
    func geluAccuracy() {
        let xs = grid(-12, 12, count: 200_001)
        let ys = apply(geluArray, xs)
        var worstScaled = 0.0, worstTail = 0.0
        for (x, y) in zip(xs, ys) {
            let r = geluReference(Double(x))
            worstScaled = max(worstScaled, abs(Double(y) - r) / max(1, abs(Double(x))))
            if x < -1 && x > -7 {
                // Relative error of the tail, against its conditioning bound 1e-6 + 1.5e-7 x^2
                // (rounding x / sqrt 2 alone costs ~ x^2 * 6e-8).
                let bound = 1e-6 + 1.5e-7 * Double(x * x)
                worstTail = max(worstTail, abs(Double(y) - r) / abs(r) / bound)
            }
        }
        #expect(worstScaled <= 5e-7)
        #expect(worstTail <= 1)
        let special = apply(geluArray, [0, .infinity, -.infinity, .nan, -50, 50])
        #expect(special[0] == 0 && special[1] == .infinity && special[2] == 0)
        #expect(special[3].isNaN)
        #expect(special[4] == 0 && special[5] == 50)
    }

    /// Checks gelu (tanh form): error <= 5e-7 * max(1, |x|), special values.
    @Test("gelu (tanh form): error <= 5e-7 * max(1, |x|), special values")
    func geluTanhAccuracy() {
        let xs = grid(-12, 12, count: 200_001)
        let ys = apply(geluTanhArray, xs)
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            worst = max(worst, abs(Double(y) - geluTanhReference(Double(x))) / max(1, abs(Double(x))))
        }
        #expect(worst <= 5e-7)
        let special = apply(geluTanhArray, [0, .infinity, -.infinity, .nan, -50, 50])
        #expect(special[0] == 0 && special[1] == .infinity && special[2] == 0)
        #expect(special[3].isNaN)
        #expect(special[4] == 0 && special[5] == 50)
    }

    /// Checks array kernels: every length 0...40, sub-ranges and in place give the same bits.
    @Test("array kernels: every length 0...40, sub-ranges and in place give the same bits")
    func arrayTailsAndSplits() {
        let kernels: [ArrayKernel] = [expArray, logArray, tanhArray, sigmoidArray, softplusArray,
                                      geluArray, geluTanhArray, erfArray]
        let xs = grid(0.01, 9.5, count: 83)
        for kernel in kernels {
            let full = apply(kernel, xs)
            for n in 0...40 {
                for offset in [0, 1, 3, 7] where offset + n <= xs.count {
                    let part = apply(kernel, Array(xs[offset..<(offset + n)]))
                    #expect(part.elementsEqual(full[offset..<(offset + n)]) {
                        $0.bitPattern == $1.bitPattern
                    })
                }
            }
            // Split the range the way a thread pool would, writing into one buffer in place.
            var inPlace = xs
            inPlace.withUnsafeMutableBufferPointer { b in
                let p = b.baseAddress!
                kernel(p, p, 29)
                kernel(p + 29, p + 29, 54)
            }
            #expect(inPlace.elementsEqual(full) { $0.bitPattern == $1.bitPattern })
        }
    }
}
