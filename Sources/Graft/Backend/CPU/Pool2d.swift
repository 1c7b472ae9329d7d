// 2-D max and average pooling over NCHW tensors, PyTorch semantics with ceil_mode = false.
//
// The window geometry is a `Conv2dGeometry` (kernel, stride, padding, dilation; channels and
// batch describe the NCHW input). Every kernel works on a range of planes p = n * C + c, so a
// caller can split planes across threads: each plane's outputs (or input gradients) are
// written only by the call that owns the plane.
//
// Max pooling: padding counts as -inf (never selected); the argmax is stored as an Int32 flat
// index into the input *plane*, ih * W + iw (PyTorch's max_pool2d_with_indices convention), in
// the same layout as the output. Ties keep the first maximum in row-major window order; a NaN
// in the window is propagated (the last NaN's index is stored), like PyTorch's CPU kernel.
//
// Average pooling: countIncludePad = true divides by kh * kw (padding counts as zeros: with
// ceil_mode = false every window lies inside the padded input, so this is PyTorch's divisor);
// false divides by the number of window positions inside the input. avgPool2dBackward is the
// exact adjoint of avgPool2dForward. (PyTorch's avg_pool2d has no dilation; here dilation is
// honoured the obvious way, the include-pad divisor staying kh * kw.)

extension Conv2dGeometry {
    /// Pooling validation: `validate()` plus PyTorch's rule that padding is at most half the
    /// effective kernel, padH <= (dilationH (kernelH - 1) + 1) / 2 (same for W), which guarantees
    /// every window holds at least one input element. Returns nil when valid, else a message
    /// naming the offending value.
    func validatePooling() -> String? {
        if let message = validate() { return message }
        let effectiveH = dilationH * (kernelH - 1) + 1
        let effectiveW = dilationW * (kernelW - 1) + 1
        if padH > effectiveH / 2 {
            return "padH=\(padH) must be at most half of the effective kernel height "
                + "\(effectiveH) (kernelH=\(kernelH), dilationH=\(dilationH))"
        }
        if padW > effectiveW / 2 {
            return "padW=\(padW) must be at most half of the effective kernel width "
                + "\(effectiveW) (kernelW=\(kernelW), dilationW=\(dilationW))"
        }
        return nil
    }

    /// Number of planes N * C (the range the pooling kernels split over).
    var planeCount: Int { batch * channels }

    /// The kernel taps k in 0..<kernel whose input coordinate o * stride - pad + k * dilation
    /// lies in 0..<size, for output position o (empty when the window misses the input).
    @inline(__always)
    static func validTapRange(
        output o: Int, size: Int, kernel: Int, stride: Int, pad: Int, dilation: Int
    ) -> Range<Int> {
        let start = o * stride - pad  // input coordinate of tap 0
        // start + k*d >= 0  and  start + k*d <= size - 1
        let lo = start >= 0 ? 0 : (-start + dilation - 1) / dilation
        let highNum = size - 1 - start
        let hi = highNum < 0 ? 0 : min(kernel, highNum / dilation + 1)
        return lo < hi ? lo..<hi : hi..<hi
    }
}

/// Calls `body` with, for every output column ow, the valid horizontal tap range packed as
/// (lo, hi) pairs in a stack buffer of 2 * outW Ints (one division per column per call rather
/// than per output), and the interior columns owA..<owB whose whole window row lies inside the
/// input (the SIMD path).
@inline(__always)
private func withColumnTapRanges<R>(
    _ g: Conv2dGeometry, _ body: (UnsafeMutablePointer<Int>, Range<Int>) -> R
) -> R {
    let outW = g.outW
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * outW) { buffer in
        let taps = buffer.baseAddress!
        var owA = outW, owB = 0
        for ow in 0..<outW {
            let r = Conv2dGeometry.validTapRange(
                output: ow, size: g.width, kernel: g.kernelW, stride: g.strideW,
                pad: g.padW, dilation: g.dilationW)
            taps[2 * ow] = r.lowerBound
            taps[2 * ow + 1] = r.upperBound
            if r.count == g.kernelW {
                owA = min(owA, ow)
                owB = ow + 1
            }
        }
        return body(taps, owA < owB ? owA..<owB : 0..<0)
    }
}

/// Loads p[0], p[stride], ..., p[7 * stride] (one vector load when stride == 1; LLVM turns the
/// stride-2 case into two loads and shuffles).
@inline(__always)
private func gather8(_ p: UnsafePointer<Float>, _ stride: Int) -> SIMD8<Float> {
    if stride == 1 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
    if stride == 2 {
        // Even lanes of p[0..<8] and odd lanes of p[7..<15]: two loads and two shuffles,
        // reading only p[0...14].
        let raw = UnsafeRawPointer(p)
        let a = raw.loadUnaligned(as: SIMD8<Float>.self)
        let b = raw.loadUnaligned(fromByteOffset: 28, as: SIMD8<Float>.self)
        return SIMD8(lowHalf: a.evenHalf, highHalf: b.oddHalf)
    }
    return SIMD8(p[0], p[stride], p[2 * stride], p[3 * stride],
                 p[4 * stride], p[5 * stride], p[6 * stride], p[7 * stride])
}

/// The window of output (oh, ow) clipped to the input: valid tap rows and columns and the
/// input offset of tap (0, 0) within the plane.
private struct PoolWindow {
    /// Valid tap rows i.
    var rows: Range<Int>
    /// Valid tap columns j.
    var cols: Range<Int>
    /// (oh * sh - ph) * W + ow * sw - pw: plane offset of tap (0, 0) (may lie in the padding).
    var origin: Int

    /// Number of taps inside the input.
    var count: Int { rows.count * cols.count }
}

/// Output traversal shared by the pooling kernels. For each plane group it calls
/// `scalar(plane, oh, ow, window)` for single outputs, `alongRow(plane, oh, ow, rows, origin)`
/// for 8 consecutive interior columns of one row (taps j in 0..<kw all valid), and
/// `acrossPlanes(plane, oh, ow, window)` for the same output of 8 consecutive planes. Wide
/// outputs use the along-row vectors (the last group overlapping the previous one rather than
/// going scalar); outputs narrower than 8 interior columns use across-plane vectors, leftover
/// planes go scalar. Every output is written by exactly one call of its own plane (overlapping
/// groups rewrite identical values), so plane ranges can run on different threads.
@inline(__always)
private func forEachPoolOutput(
    _ g: Conv2dGeometry, planes: Range<Int>,
    scalar: (Int, Int, Int, PoolWindow) -> Void,
    alongRow: (Int, Int, Int, Range<Int>, Int) -> Void,
    acrossPlanes: (Int, Int, Int, PoolWindow) -> Void
) {
    let (W, outH, outW) = (g.width, g.outH, g.outW)
    let (sh, sw, ph, pw) = (g.strideH, g.strideW, g.padH, g.padW)
    withColumnTapRanges(g) { taps, interior in
        /// The clipped window of output (oh, ow) given its valid tap rows.
        @inline(__always) func window(_ oh: Int, _ ow: Int, _ rows: Range<Int>) -> PoolWindow {
            PoolWindow(rows: rows, cols: taps[2 * ow]..<max(taps[2 * ow], taps[2 * ow + 1]),
                       origin: (oh * sh - ph) * W + ow * sw - pw)
        }
        /// Valid tap rows of output row oh.
        @inline(__always) func rows(_ oh: Int) -> Range<Int> {
            Conv2dGeometry.validTapRange(output: oh, size: g.height, kernel: g.kernelH, stride: sh,
                                         pad: ph, dilation: g.dilationH)
        }
        if interior.count >= 8 {
            for p in planes {
                for oh in 0..<outH {
                    let r = rows(oh)
                    for ow in 0..<interior.lowerBound { scalar(p, oh, ow, window(oh, ow, r)) }
                    var ow = interior.lowerBound
                    while ow < interior.upperBound {
                        let start = min(ow, interior.upperBound - 8)
                        alongRow(p, oh, start, r, (oh * sh - ph) * W + start * sw - pw)
                        ow += 8
                    }
                    for ow in interior.upperBound..<outW { scalar(p, oh, ow, window(oh, ow, r)) }
                }
            }
        } else {
            var p = planes.lowerBound
            while p + 8 <= planes.upperBound {
                for oh in 0..<outH {
                    let r = rows(oh)
                    for ow in 0..<outW { acrossPlanes(p, oh, ow, window(oh, ow, r)) }
                }
                p += 8
            }
            while p < planes.upperBound {
                for oh in 0..<outH {
                    let r = rows(oh)
                    for ow in 0..<outW { scalar(p, oh, ow, window(oh, ow, r)) }
                }
                p += 1
            }
        }
    }
}

/// Max-pool forward for planes p = n * C + c in `planes`: y[p, oh, ow] = max over the window,
/// indices[p, oh, ow] = flat index ih * W + iw of the maximum *within the input plane p*
/// (first maximum in row-major window order on ties; -1 and y = -inf for a window with no
/// input element, impossible when `g.validatePooling() == nil`). x is [N, C, H, W]; y and
/// indices are [N, C, outH, outW]. Computed 8 outputs at a time (along rows, or across planes
/// for narrow outputs).
func maxPool2dForward(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ indices: UnsafeMutablePointer<Int32>,
    _ g: Conv2dGeometry, planes: Range<Int>
) {
    let (W, sw, dh, dw, kw) = (g.width, g.strideW, g.dilationH, g.dilationW, g.kernelW)
    let inPlane = g.height * g.width
    let outPlane = g.outH * g.outW
    let outW = g.outW
    let laneOffsets = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* Int32(truncatingIfNeeded: sw)
    forEachPoolOutput(
        g, planes: planes,
        scalar: { p, oh, ow, w in
            let src = x + p * inPlane
            var best = -Float.infinity
            var bestIndex = -1
            if w.count > 0 {
                bestIndex = w.origin + w.rows.lowerBound * dh * W + w.cols.lowerBound * dw
                for i in w.rows {
                    let rowStart = w.origin + i * dh * W
                    for j in w.cols {
                        let k = rowStart + j * dw
                        let v = src[k]
                        let take = v > best || v.isNaN
                        best = take ? v : best
                        bestIndex = take ? k : bestIndex
                    }
                }
            }
            y[p * outPlane + oh * outW + ow] = best
            indices[p * outPlane + oh * outW + ow] = Int32(truncatingIfNeeded: bestIndex)
        },
        alongRow: { p, oh, ow, rows, origin in
            let src = x + p * inPlane
            var best = SIMD8<Float>(repeating: -.infinity)
            var bestIndex = SIMD8<Int32>(repeating: -1)
            if !rows.isEmpty {
                bestIndex = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: origin + rows.lowerBound * dh * W))
                    &+ laneOffsets
            }
            for i in rows {
                let rowStart = origin + i * dh * W
                for j in 0..<kw {
                    let k = rowStart + j * dw
                    let v = gather8(src + k, sw)
                    let take = (v .> best) .| (v .!= v)
                    best = FastMath.select(take, v, best)
                    bestIndex = FastMath.select(
                        take, SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: k)) &+ laneOffsets, bestIndex)
                }
            }
            let o = p * outPlane + oh * outW + ow
            UnsafeMutableRawPointer(y + o).storeBytes(of: best, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(indices + o).storeBytes(of: bestIndex, as: SIMD8<Int32>.self)
        },
        acrossPlanes: { p, oh, ow, w in
            let src = x + p * inPlane
            var best = SIMD8<Float>(repeating: -.infinity)
            var bestIndex: Int32 = -1
            var bestIndices = SIMD8<Int32>(repeating: -1)
            if w.count > 0 {
                bestIndex = Int32(truncatingIfNeeded: w.origin + w.rows.lowerBound * dh * W + w.cols.lowerBound * dw)
                bestIndices = SIMD8<Int32>(repeating: bestIndex)
            }
            for i in w.rows {
                let rowStart = w.origin + i * dh * W
                for j in w.cols {
                    let k = rowStart + j * dw
                    let v = gather8(src + k, inPlane)
                    let take = (v .> best) .| (v .!= v)
                    best = FastMath.select(take, v, best)
                    bestIndices = FastMath.select(
                        take, SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: k)), bestIndices)
                }
            }
            let o = p * outPlane + oh * outW + ow
            for l in 0..<8 {
                y[o + l * outPlane] = best[l]
                indices[o + l * outPlane] = bestIndices[l]
            }
        })
}

/// Max-pool backward for planes in `planes`: gx[p, indices[p, o]] += gy[p, o] for every output
/// o (negative indices are skipped). gx is [N, C, H, W], zeroed by the caller or accumulated into.
func maxPool2dBackward(
    _ gy: UnsafePointer<Float>, _ indices: UnsafePointer<Int32>, _ gx: UnsafeMutablePointer<Float>,
    _ g: Conv2dGeometry, planes: Range<Int>
) {
    let inPlane = g.height * g.width
    let outPlane = g.outH * g.outW
    for p in planes {
        let src = gy + p * outPlane
        let idx = indices + p * outPlane
        let dst = gx + p * inPlane
        for o in 0..<outPlane {
            let k = Int(idx[o])
            if k >= 0 { dst[k] += src[o] }
        }
    }
}

/// Average-pool forward for planes in `planes`: y = (sum of the window's input elements) /
/// divisor, divisor = kh * kw when `countIncludePad` (padding counts as zeros), else the number
/// of window positions inside the input (PyTorch, ceil_mode = false). A window with no input
/// element gives 0. x is [N, C, H, W]; y is [N, C, outH, outW]. Computed 8 outputs at a time
/// (along rows, or across planes for narrow outputs), summing in row-major tap order everywhere.
func avgPool2dForward(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry,
    countIncludePad: Bool, planes: Range<Int>
) {
    let (W, sw, dh, dw, kw) = (g.width, g.strideW, g.dilationH, g.dilationW, g.kernelW)
    let inPlane = g.height * g.width
    let outPlane = g.outH * g.outW
    let outW = g.outW
    let fullCount = g.kernelH * g.kernelW
    forEachPoolOutput(
        g, planes: planes,
        scalar: { p, oh, ow, w in
            let src = x + p * inPlane
            var sum: Float = 0
            for i in w.rows {
                let rowStart = w.origin + i * dh * W
                for j in w.cols { sum += src[rowStart + j * dw] }
            }
            let count = countIncludePad ? fullCount : w.count
            y[p * outPlane + oh * outW + ow] = count > 0 ? sum / Float(count) : 0
        },
        alongRow: { p, oh, ow, rows, origin in
            let src = x + p * inPlane
            var sum = SIMD8<Float>()
            for i in rows {
                let rowStart = origin + i * dh * W
                for j in 0..<kw { sum += gather8(src + rowStart + j * dw, sw) }
            }
            let count = countIncludePad ? fullCount : rows.count * kw
            let result = count > 0 ? sum / Float(count) : SIMD8<Float>()
            UnsafeMutableRawPointer(y + p * outPlane + oh * outW + ow).storeBytes(of: result, as: SIMD8<Float>.self)
        },
        acrossPlanes: { p, oh, ow, w in
            let src = x + p * inPlane
            var sum = SIMD8<Float>()
            for i in w.rows {
                let rowStart = w.origin + i * dh * W
                for j in w.cols { sum += gather8(src + rowStart + j * dw, inPlane) }
            }
            let count = countIncludePad ? fullCount : w.count
            let result = count > 0 ? sum / Float(count) : SIMD8<Float>()
            let o = p * outPlane + oh * outW + ow
            for l in 0..<8 { y[o + l * outPlane] = result[l] }
        })
}

/// Average-pool backward (the exact adjoint of `avgPool2dForward` with the same
/// `countIncludePad`) for planes in `planes`: every output gradient gy[p, o] / divisor is added
/// to each input element of its window. gx is [N, C, H, W], zeroed by the caller or accumulated into.
func avgPool2dBackward(
    _ gy: UnsafePointer<Float>, _ gx: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry,
    countIncludePad: Bool, planes: Range<Int>
) {
    let (H, W, outH, outW) = (g.height, g.width, g.outH, g.outW)
    let (sh, sw, dh, dw) = (g.strideH, g.strideW, g.dilationH, g.dilationW)
    let (ph, pw) = (g.padH, g.padW)
    let fullCount = g.kernelH * g.kernelW
    withColumnTapRanges(g) { taps, _ in
        for p in planes {
            let src = gy + p * outH * outW
            let dst = gx + p * H * W
            for oh in 0..<outH {
                let iRange = Conv2dGeometry.validTapRange(
                    output: oh, size: H, kernel: g.kernelH, stride: sh, pad: ph, dilation: dh)
                let ih0 = oh * sh - ph
                for ow in 0..<outW {
                    let jLo = taps[2 * ow], jHi = taps[2 * ow + 1]
                    let count = countIncludePad ? fullCount : iRange.count * max(0, jHi - jLo)
                    if count == 0 { continue }
                    let share = src[oh * outW + ow] / Float(count)
                    let iw0 = ow * sw - pw
                    for i in iRange {
                        let rowStart = (ih0 + i * dh) * W + iw0
                        for j in jLo..<jHi { dst[rowStart + j * dw] += share }
                    }
                }
            }
        }
    }
}
