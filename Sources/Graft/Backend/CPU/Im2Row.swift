// im2row / row2im for convolutions whose kernel spans the whole input width (the text CNNs
// of SeqGAN and Kim 2014: a kernel (f, E) sliding over [N, 1, L, E] embeddings).
//
// With kw == W and no horizontal padding there is one output column, and every patch is a run
// of whole input rows. The transposed cols layout, rows = [N*outH, C*kh*W] with
//   row (n * outH + oh), column (c * kh + i) * W + j  =  x[n, c, oh*sh - ph + i*dh, j]
// (0 for rows in the padding), is then a set of contiguous copies, where the standard layout
// [C*kh*kw, N*outH*outW] would be a transpose (one scalar per element). conv2d(x, w) is
// rows x w[O, C*kh*W]^T, laid out [N, outH, O].

extension Conv2dGeometry {
    /// True when the kernel covers the whole width with no horizontal padding (outW == 1), so
    /// the im2row layout applies.
    var spansFullWidth: Bool { kernelW == width && padW == 0 && dilationW == 1 }

    /// C * kh * W: columns of the im2row matrix.
    var rowLength: Int { channels * kernelH * width }
}

/// Writes the im2row matrix rows of images `batches` (rows n*outH ..< (n+1)*outH), see the top of
/// this file. `g.spansFullWidth` must hold.
func im2row(_ x: UnsafePointer<Float>, _ rows: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry, batches: Range<Int>) {
    let (outH, w, kh) = (g.outH, g.width, g.kernelH)
    let plane = g.height * w, image = g.channels * plane, rowLength = g.rowLength
    // Taps inside the image for every output row: copy kh*W floats per channel at once.
    let dense = g.dilationH == 1
    for n in batches {
        for oh in 0..<outH {
            let dst = rows + (n * outH + oh) * rowLength
            let top = oh * g.strideH - g.padH
            for c in 0..<g.channels {
                let src = x + n * image + c * plane
                let out = dst + c * kh * w
                if dense && top >= 0 && top + kh <= g.height {
                    kernelCopy(src + top * w, out, kh * w)
                    continue
                }
                for i in 0..<kh {
                    let ih = top + i * g.dilationH
                    if ih >= 0 && ih < g.height {
                        kernelCopy(src + ih * w, out + i * w, w)
                    } else {
                        kernelZero(out + i * w, w)
                    }
                }
            }
        }
    }
}

/// Adjoint of `im2row`: adds the im2row rows of images `batches` back onto the input rows they
/// were read from in `x` (entries from padding are dropped). Touches only images `batches`.
func row2im(_ rows: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry, batches: Range<Int>) {
    let (outH, w, kh) = (g.outH, g.width, g.kernelH)
    let plane = g.height * w, image = g.channels * plane, rowLength = g.rowLength
    for n in batches {
        for oh in 0..<outH {
            let src = rows + (n * outH + oh) * rowLength
            let top = oh * g.strideH - g.padH
            for c in 0..<g.channels {
                let dst = x + n * image + c * plane
                let from = src + c * kh * w
                for i in 0..<kh {
                    let ih = top + i * g.dilationH
                    if ih >= 0 && ih < g.height {
                        kernelAccumulate(from + i * w, dst + ih * w, w)
                    }
                }
            }
        }
    }
}
