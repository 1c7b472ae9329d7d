// im2col / col2im for conv2d as a GEMM with the batch folded into the columns.
//
// Layout: x is NCHW [N, C, H, W]; cols is a row-major [C*kh*kw, N*outH*outW] matrix with
//   row    r   = (c * kh + i) * kw + j
//   column col = (n * outH + oh) * outW + ow
//   cols[r, col] = x[n, c, oh*sh - ph + i*dh, ow*sw - pw + j*dw]   (0 outside the image)
// so that conv2d(x, w) = w[OC, C*kh*kw] x cols, with the result laid out [OC, N, outH, outW].
// col2im is the exact adjoint: it adds every cols entry back onto the input position it came
// from (entries that came from padding are dropped).
//
// Both kernels take a channel range and a batch range and touch only that block (rows of those
// channels x columns of those images for im2col; the planes (n, c) of those images and channels
// for col2im), so a caller can split either dimension across threads without write races.
// To work on a batch chunk with a smaller cols buffer, build a geometry with `batch` = chunk
// size and offset x by n0 * C * H * W.

/// Sizes, kernel, stride, padding and dilation of a 2-D convolution or pooling window over an
/// NCHW input, with the derived output size (PyTorch's formula, floor mode).
struct Conv2dGeometry: Equatable, Hashable, Sendable {
    /// N: images in the batch.
    var batch: Int
    /// C: input channels.
    var channels: Int
    /// H: input height.
    var height: Int
    /// W: input width.
    var width: Int
    /// kh: kernel (window) height.
    var kernelH: Int
    /// kw: kernel (window) width.
    var kernelW: Int
    /// sh: vertical stride.
    var strideH: Int
    /// sw: horizontal stride.
    var strideW: Int
    /// ph: zero padding added above and below.
    var padH: Int
    /// pw: zero padding added left and right.
    var padW: Int
    /// dh: vertical dilation (1 = dense kernel).
    var dilationH: Int
    /// dw: horizontal dilation (1 = dense kernel).
    var dilationW: Int

    /// Creates a geometry; stride and dilation default to 1, padding to 0.
    init(
        batch: Int, channels: Int, height: Int, width: Int,
        kernelH: Int, kernelW: Int,
        strideH: Int = 1, strideW: Int = 1,
        padH: Int = 0, padW: Int = 0,
        dilationH: Int = 1, dilationW: Int = 1
    ) {
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.strideH = strideH
        self.strideW = strideW
        self.padH = padH
        self.padW = padW
        self.dilationH = dilationH
        self.dilationW = dilationW
    }

    /// Output size along one axis: floor((size + 2 pad - dil (k - 1) - 1) / stride) + 1, or 0
    /// when the (dilated) kernel does not fit or the stride is not positive.
    static func outputSize(size: Int, kernel: Int, stride: Int, pad: Int, dilation: Int) -> Int {
        let span = size + 2 * pad - dilation * (kernel - 1) - 1
        guard stride > 0, span >= 0 else { return 0 }
        return span / stride + 1
    }

    /// outH = (H + 2 ph - dh (kh - 1) - 1) / sh + 1 (0 when the kernel does not fit).
    var outH: Int {
        Self.outputSize(size: height, kernel: kernelH, stride: strideH, pad: padH, dilation: dilationH)
    }

    /// outW = (W + 2 pw - dw (kw - 1) - 1) / sw + 1 (0 when the kernel does not fit).
    var outW: Int {
        Self.outputSize(size: width, kernel: kernelW, stride: strideW, pad: padW, dilation: dilationW)
    }

    /// H * W: elements in one input plane.
    var inputPlaneSize: Int { height * width }

    /// outH * outW: elements in one output plane.
    var outputPlaneSize: Int { outH * outW }

    /// N * C * H * W: elements of the input tensor.
    var inputCount: Int { batch * channels * height * width }

    /// C * kh * kw: rows of the cols matrix.
    var colRows: Int { channels * kernelH * kernelW }

    /// N * outH * outW: columns of the cols matrix.
    var colColumns: Int { batch * outH * outW }

    /// Returns nil when the geometry is usable, else a message naming the offending value:
    /// every size, kernel, stride and dilation must be >= 1, padding >= 0, and outH, outW >= 1.
    func validate() -> String? {
        let positive: [(String, Int)] = [
            ("batch", batch), ("channels", channels), ("height", height), ("width", width),
            ("kernelH", kernelH), ("kernelW", kernelW), ("strideH", strideH), ("strideW", strideW),
            ("dilationH", dilationH), ("dilationW", dilationW),
        ]
        for (name, value) in positive where value <= 0 {
            return "\(name) must be positive, got \(name)=\(value)"
        }
        if padH < 0 { return "padH must be non-negative, got padH=\(padH)" }
        if padW < 0 { return "padW must be non-negative, got padW=\(padW)" }
        if outH < 1 {
            return "output height outH=\(outH) < 1: height=\(height) + 2*padH=\(padH) is smaller than "
                + "the dilated kernel dilationH=\(dilationH)*(kernelH=\(kernelH)-1)+1="
                + "\(dilationH * (kernelH - 1) + 1)"
        }
        if outW < 1 {
            return "output width outW=\(outW) < 1: width=\(width) + 2*padW=\(padW) is smaller than "
                + "the dilated kernel dilationW=\(dilationW)*(kernelW=\(kernelW)-1)+1="
                + "\(dilationW * (kernelW - 1) + 1)"
        }
        return nil
    }

    /// The output positions o in 0..<outCount whose input coordinate o * stride - pad + offset
    /// lies in 0..<size, as a (possibly empty) range: used to skip padding without a branch per element.
    @inline(__always)
    static func validOutputRange(offset: Int, size: Int, stride: Int, pad: Int, outCount: Int) -> Range<Int> {
        // o * stride >= pad - offset  and  o * stride <= size - 1 + pad - offset
        let lowNum = pad - offset
        let lo = lowNum <= 0 ? 0 : (lowNum + stride - 1) / stride
        let highNum = size - 1 + pad - offset
        let hi = highNum < 0 ? 0 : min(outCount, highNum / stride + 1)
        return lo < hi ? lo..<hi : hi..<hi
    }
}

// MARK: - Small copy helpers

/// Copies `count` floats from `src` to `dst` (non-overlapping) with SIMD8 moves; tuned for the
/// short rows of im2col (a library memcpy call costs more than an 8-float row).
@inline(__always)
func kernelCopy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    let s = UnsafeRawPointer(src)
    let d = UnsafeMutableRawPointer(dst)
    var k = 0
    while k + 16 <= count {
        let a = s.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
        let b = s.loadUnaligned(fromByteOffset: k * 4 + 32, as: SIMD8<Float>.self)
        d.storeBytes(of: a, toByteOffset: k * 4, as: SIMD8<Float>.self)
        d.storeBytes(of: b, toByteOffset: k * 4 + 32, as: SIMD8<Float>.self)
        k += 16
    }
    if k + 8 <= count {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self),
                     toByteOffset: k * 4, as: SIMD8<Float>.self)
        k += 8
    }
    if k + 4 <= count {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: k * 4, as: SIMD4<Float>.self),
                     toByteOffset: k * 4, as: SIMD4<Float>.self)
        k += 4
    }
    while k < count {
        dst[k] = src[k]
        k += 1
    }
}

/// Sets `count` floats at `dst` to zero with SIMD8 stores.
@inline(__always)
func kernelZero(_ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    let d = UnsafeMutableRawPointer(dst)
    var k = 0
    while k + 8 <= count {
        d.storeBytes(of: SIMD8<Float>(), toByteOffset: k * 4, as: SIMD8<Float>.self)
        k += 8
    }
    while k < count {
        dst[k] = 0
        k += 1
    }
}

/// dst[k] += src[k] for k in 0..<count (non-overlapping) with SIMD8 adds.
@inline(__always)
func kernelAccumulate(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    let s = UnsafeRawPointer(src)
    let d = UnsafeMutableRawPointer(dst)
    var k = 0
    while k + 8 <= count {
        let a = s.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(d).loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
        d.storeBytes(of: a + b, toByteOffset: k * 4, as: SIMD8<Float>.self)
        k += 8
    }
    while k < count {
        dst[k] += src[k]
        k += 1
    }
}

/// Copies `rows` rows of `width` floats from `src` (row stride `srcStride`) to the contiguous
/// rows of `dst` (row stride `width`), with the common short widths (multiples of 8 up to 32,
/// e.g. 8x8 and 24x24 conv outputs) as straight-line SIMD8 code.
@inline(__always)
func copyRows(
    _ src: UnsafePointer<Float>, _ srcStride: Int, _ dst: UnsafeMutablePointer<Float>, _ width: Int,
    rows: Int
) {
    var s = UnsafeRawPointer(src)
    var d = UnsafeMutableRawPointer(dst)
    let sStep = srcStride * 4, dStep = width * 4
    switch width {
    case 8:
        for _ in 0..<rows {
            d.storeBytes(of: s.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            s += sStep
            d += dStep
        }
    case 16:
        for _ in 0..<rows {
            d.storeBytes(of: s.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                         toByteOffset: 32, as: SIMD8<Float>.self)
            s += sStep
            d += dStep
        }
    case 24:
        for _ in 0..<rows {
            d.storeBytes(of: s.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                         toByteOffset: 32, as: SIMD8<Float>.self)
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self),
                         toByteOffset: 64, as: SIMD8<Float>.self)
            s += sStep
            d += dStep
        }
    default:
        for _ in 0..<rows {
            kernelCopy(s.assumingMemoryBound(to: Float.self), d.assumingMemoryBound(to: Float.self), width)
            s += sStep
            d += dStep
        }
    }
}

// MARK: - im2col / col2im

/// Calls `body` with the valid output ranges of every kernel tap, packed in a stack buffer:
/// rows [2i, 2i+1] = (lo, hi) of oh for tap row i (i < kh), then [2(kh+j), 2(kh+j)+1] = (lo, hi)
/// of ow for tap column j. Computing them once per call keeps divisions out of the tap loops.
@inline(__always)
private func withTapRanges<R>(_ g: Conv2dGeometry, _ body: (UnsafeMutablePointer<Int>) -> R) -> R {
    let (kh, kw) = (g.kernelH, g.kernelW)
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (kh + kw)) { buffer in
        let ranges = buffer.baseAddress!
        let (outH, outW) = (g.outH, g.outW)
        for i in 0..<kh {
            let r = Conv2dGeometry.validOutputRange(
                offset: i * g.dilationH, size: g.height, stride: g.strideH, pad: g.padH, outCount: outH)
            ranges[2 * i] = r.lowerBound
            ranges[2 * i + 1] = r.upperBound
        }
        for j in 0..<kw {
            let r = Conv2dGeometry.validOutputRange(
                offset: j * g.dilationW, size: g.width, stride: g.strideW, pad: g.padW, outCount: outW)
            ranges[2 * (kh + j)] = r.lowerBound
            ranges[2 * (kh + j) + 1] = r.upperBound
        }
        return body(ranges)
    }
}

/// One kernel tap (i, j) of one channel: where its cols row and its input planes live, and
/// which output positions read inside the image. Built once per (c, i, j); the per-tap workers
/// below loop over the images so that each stays a small function with few live registers.
private struct TapPlan {
    /// Input plane of channel c in image 0.
    var src: UnsafePointer<Float>
    /// Element stride between consecutive images' planes of channel c (C * H * W).
    var srcImageStride: Int
    /// The tap's cols row, at image 0's first column.
    var dst: UnsafeMutablePointer<Float>
    /// Input offset of output (oh, ow): (oh * sh + rowOffset) * W + ow * sw + colOffset.
    var rowOffset: Int
    /// See `rowOffset`.
    var colOffset: Int
    /// Valid output rows.
    var ohLo: Int
    /// See `ohLo`.
    var ohHi: Int
    /// Valid output columns.
    var owLo: Int
    /// See `owLo`.
    var owHi: Int
    /// Output plane width and height.
    var outW: Int
    /// See `outW`.
    var outH: Int
    /// Input width.
    var W: Int
    /// Strides.
    var sh: Int
    /// See `sh`.
    var sw: Int
}

/// im2col worker for one tap whose output rows are whole contiguous input runs (sw == 1, every
/// column valid): zero the invalid rows, then one contiguous copy per valid row, or per image
/// when output rows are whole input rows.
@inline(never)
private func im2colTapFullRows(_ t: TapPlan, batches: Range<Int>) {
    let outPlane = t.outH * t.outW
    let band = t.sh == 1 && t.outW == t.W
    let first = (t.ohLo * t.sh + t.rowOffset) * t.W + t.colOffset
    for n in batches {
        let src = t.src + n * t.srcImageStride + first
        let dst = t.dst + n * outPlane
        if t.ohLo > 0 { kernelZero(dst, t.ohLo * t.outW) }
        if band {
            kernelCopy(src, dst + t.ohLo * t.outW, (t.ohHi - t.ohLo) * t.outW)
        } else {
            copyRows(src, t.sh * t.W, dst + t.ohLo * t.outW, t.outW, rows: t.ohHi - t.ohLo)
        }
        if t.ohHi < t.outH { kernelZero(dst + t.ohHi * t.outW, (t.outH - t.ohHi) * t.outW) }
    }
}

/// im2col worker for any other tap: per valid row, zeros left of owLo, a copy (sw == 1) or a
/// strided gather of the valid columns, zeros right of owHi; zero rows outside ohLo..<ohHi.
@inline(never)
private func im2colTapGeneral(_ t: TapPlan, batches: Range<Int>) {
    let outPlane = t.outH * t.outW
    let empty = t.ohLo >= t.ohHi || t.owLo >= t.owHi
    for n in batches {
        let src = t.src + n * t.srcImageStride
        let dst = t.dst + n * outPlane
        if empty {
            kernelZero(dst, outPlane)
            continue
        }
        if t.ohLo > 0 { kernelZero(dst, t.ohLo * t.outW) }
        for oh in t.ohLo..<t.ohHi {
            let srcRow = src + (oh * t.sh + t.rowOffset) * t.W + t.colOffset
            let dstRow = dst + oh * t.outW
            if t.owLo > 0 { kernelZero(dstRow, t.owLo) }
            if t.sw == 1 {
                kernelCopy(srcRow + t.owLo, dstRow + t.owLo, t.owHi - t.owLo)
            } else {
                var iw = t.owLo * t.sw
                for ow in t.owLo..<t.owHi {
                    dstRow[ow] = srcRow[iw]
                    iw += t.sw
                }
            }
            if t.owHi < t.outW { kernelZero(dstRow + t.owHi, t.outW - t.owHi) }
        }
        if t.ohHi < t.outH { kernelZero(dst + t.ohHi * t.outW, (t.outH - t.ohHi) * t.outW) }
    }
}

/// col2im worker for one tap: adds its cols row back onto the input planes of `batches`.
@inline(never)
private func col2imTap(_ t: TapPlan, batches: Range<Int>) {
    if t.ohLo >= t.ohHi || t.owLo >= t.owHi { return }
    let outPlane = t.outH * t.outW
    // The tap's cols row is read through `dst` (TapPlan names the im2col direction).
    let cols = UnsafePointer(t.dst)
    let x = UnsafeMutablePointer(mutating: t.src)
    let band = t.sw == 1 && t.sh == 1 && t.owLo == 0 && t.owHi == t.outW && t.outW == t.W
    for n in batches {
        let src = cols + n * outPlane
        let dst = x + n * t.srcImageStride
        if band {
            kernelAccumulate(src + t.ohLo * t.outW, dst + (t.ohLo + t.rowOffset) * t.W + t.colOffset,
                             (t.ohHi - t.ohLo) * t.outW)
            continue
        }
        for oh in t.ohLo..<t.ohHi {
            let dstRow = dst + (oh * t.sh + t.rowOffset) * t.W + t.colOffset
            let srcRow = src + oh * t.outW
            if t.sw == 1 {
                kernelAccumulate(srcRow + t.owLo, dstRow + t.owLo, t.owHi - t.owLo)
            } else {
                var iw = t.owLo * t.sw
                for ow in t.owLo..<t.owHi {
                    dstRow[iw] += srcRow[ow]
                    iw += t.sw
                }
            }
        }
    }
}

/// Calls `body(plan)` for every tap (c, i, j) with c in `channels`, in row order.
@inline(__always)
private func forEachTap(
    _ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry,
    channels: Range<Int>, _ body: (TapPlan) -> Void
) {
    let (kh, kw) = (g.kernelH, g.kernelW)
    let outPlane = g.outH * g.outW
    let ldc = g.batch * outPlane
    withTapRanges(g) { ranges in
        for c in channels {
            for i in 0..<kh {
                for j in 0..<kw {
                    body(TapPlan(
                        src: x + c * g.height * g.width,
                        srcImageStride: g.channels * g.height * g.width,
                        dst: cols + ((c * kh + i) * kw + j) * ldc,
                        rowOffset: i * g.dilationH - g.padH, colOffset: j * g.dilationW - g.padW,
                        ohLo: ranges[2 * i], ohHi: ranges[2 * i + 1],
                        owLo: ranges[2 * (kh + j)], owHi: ranges[2 * (kh + j) + 1],
                        outW: g.outW, outH: g.outH, W: g.width, sh: g.strideH, sw: g.strideW))
                }
            }
        }
    }
}

/// Unfolds the images `batches` and channels `channels` of the NCHW input `x` into the rows
/// (c*kh + i)*kw + j of those channels and the columns (n*outH + oh)*outW + ow of those images
/// of the row-major cols matrix [C*kh*kw, N*outH*outW] (`g.colRows` x `g.colColumns`); padding
/// positions are written as 0. Writes nothing else, so disjoint (channel, batch) blocks can run
/// on different threads. `g` must be valid (`g.validate() == nil`).
func im2col(
    _ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry,
    channels: Range<Int>, batches: Range<Int>
) {
    forEachTap(x, cols, g, channels: channels) { t in
        if t.sw == 1 && t.owLo == 0 && t.owHi == t.outW && t.ohLo < t.ohHi {
            im2colTapFullRows(t, batches: batches)
        } else {
            im2colTapGeneral(t, batches: batches)
        }
    }
}

/// Adjoint of `im2col`: adds every entry of the rows of channels `channels` and the columns of
/// images `batches` of the cols matrix [C*kh*kw, N*outH*outW] onto the input position it was
/// read from, in the NCHW tensor `x` (which the caller has zeroed or wants accumulated into);
/// entries that came from padding are dropped. Touches only the planes (n, c) with n in
/// `batches` and c in `channels`, so disjoint blocks can run on different threads.
/// `g` must be valid (`g.validate() == nil`).
func col2im(
    _ cols: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry,
    channels: Range<Int>, batches: Range<Int>
) {
    forEachTap(x, UnsafeMutablePointer(mutating: cols), g, channels: channels) { t in
        col2imTap(t, batches: batches)
    }
}
