import Testing
@testable import Graft

/// Geometries covering stride, padding, dilation, non-square shapes, 1x1 and kernels larger
/// than the input.
private let geometries: [Conv2dGeometry] = [
    Conv2dGeometry(batch: 2, channels: 3, height: 7, width: 6, kernelH: 3, kernelW: 3),
    Conv2dGeometry(batch: 2, channels: 2, height: 9, width: 8, kernelH: 3, kernelW: 3,
                   strideH: 2, strideW: 2, padH: 1, padW: 1),
    Conv2dGeometry(batch: 1, channels: 2, height: 6, width: 7, kernelH: 5, kernelW: 5,
                   padH: 2, padW: 2),
    Conv2dGeometry(batch: 2, channels: 2, height: 10, width: 9, kernelH: 3, kernelW: 3,
                   padH: 2, padW: 2, dilationH: 2, dilationW: 2),
    Conv2dGeometry(batch: 3, channels: 2, height: 5, width: 11, kernelH: 2, kernelW: 4,
                   strideH: 1, strideW: 3, padH: 0, padW: 1),
    Conv2dGeometry(batch: 2, channels: 4, height: 5, width: 5, kernelH: 1, kernelW: 1),
    Conv2dGeometry(batch: 2, channels: 3, height: 7, width: 6, kernelH: 1, kernelW: 1,
                   strideH: 2, strideW: 2),
    Conv2dGeometry(batch: 1, channels: 1, height: 2, width: 3, kernelH: 3, kernelW: 4,
                   padH: 1, padW: 2),
    Conv2dGeometry(batch: 2, channels: 3, height: 12, width: 12, kernelH: 5, kernelW: 5),
    Conv2dGeometry(batch: 2, channels: 2, height: 13, width: 9, kernelH: 4, kernelW: 2,
                   strideH: 3, strideW: 2, padH: 2, padW: 1, dilationH: 1, dilationW: 3),
    Conv2dGeometry(batch: 1, channels: 2, height: 20, width: 20, kernelH: 3, kernelW: 3,
                   padH: 1, padW: 1),
]

/// im2col of the whole tensor into a fresh buffer (pre-filled with NaN to catch unwritten entries).
private func fullIm2col(_ x: [Float], _ g: Conv2dGeometry) -> [Float] {
    var cols = [Float](repeating: .nan, count: g.colRows * g.colColumns)
    x.withUnsafeBufferPointer { xb in
        cols.withUnsafeMutableBufferPointer { cb in
            im2col(xb.baseAddress!, cb.baseAddress!, g, channels: 0..<g.channels, batches: 0..<g.batch)
        }
    }
    return cols
}

/// col2im of the whole cols matrix into a zeroed tensor.
private func fullCol2im(_ cols: [Float], _ g: Conv2dGeometry) -> [Float] {
    var x = [Float](repeating: 0, count: g.inputCount)
    cols.withUnsafeBufferPointer { cb in
        x.withUnsafeMutableBufferPointer { xb in
            col2im(cb.baseAddress!, xb.baseAddress!, g, channels: 0..<g.channels, batches: 0..<g.batch)
        }
    }
    return x
}

/// Direct convolution by the 7-nested loop: out[n, oc, oh, ow] (zero padding).
private func naiveConv(_ x: [Float], _ w: [Float], outChannels: Int, _ g: Conv2dGeometry) -> [Double] {
    var out = [Double](repeating: 0, count: g.batch * outChannels * g.outH * g.outW)
    for n in 0..<g.batch {
        for oc in 0..<outChannels {
            for oh in 0..<g.outH {
                for ow in 0..<g.outW {
                    var s = 0.0
                    for c in 0..<g.channels {
                        for i in 0..<g.kernelH {
                            for j in 0..<g.kernelW {
                                let ih = oh * g.strideH - g.padH + i * g.dilationH
                                let iw = ow * g.strideW - g.padW + j * g.dilationW
                                guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
                                let xv = x[((n * g.channels + c) * g.height + ih) * g.width + iw]
                                let wv = w[((oc * g.channels + c) * g.kernelH + i) * g.kernelW + j]
                                s += Double(xv) * Double(wv)
                            }
                        }
                    }
                    out[((n * outChannels + oc) * g.outH + oh) * g.outW + ow] = s
                }
            }
        }
    }
    return out
}

/// Tests of the Im2Col kernels.
@Suite("Im2Col")
struct Im2ColTests {
    /// Checks weights x im2col(x) equals the direct convolution.
    @Test("weights x im2col(x) equals the direct convolution", arguments: geometries.indices)
    func matchesDirectConvolution(_ index: Int) {
        let g = geometries[index]
        #expect(g.validate() == nil)
        var rng = TestRandom(state: UInt64(index) + 1)
        let outChannels = 3
        let x = rng.floats(g.inputCount)
        let w = rng.floats(outChannels * g.colRows)
        let cols = fullIm2col(x, g)
        #expect(!cols.contains { $0.isNaN }, "every cols entry is written")
        let expected = naiveConv(x, w, outChannels: outChannels, g)
        // GEMM by a simple triple loop: [OC, rows] x [rows, N*outH*outW].
        let columns = g.colColumns
        var maxError = 0.0
        for oc in 0..<outChannels {
            for col in 0..<columns {
                var s = 0.0
                for r in 0..<g.colRows { s += Double(w[oc * g.colRows + r]) * Double(cols[r * columns + col]) }
                let n = col / g.outputPlaneSize, pixel = col % g.outputPlaneSize
                let e = expected[(n * outChannels + oc) * g.outputPlaneSize + pixel]
                maxError = max(maxError, abs(s - e))
            }
        }
        #expect(maxError < 1e-9)
    }

    /// Checks col2im is the adjoint of im2col: <im2col(x), y> == <x, col2im(y)>.
    @Test("col2im is the adjoint of im2col: <im2col(x), y> == <x, col2im(y)>", arguments: geometries.indices)
    func col2imIsAdjoint(_ index: Int) {
        let g = geometries[index]
        var rng = TestRandom(state: 100 + UInt64(index))
        let x = rng.floats(g.inputCount)
        let y = rng.floats(g.colRows * g.colColumns)
        let left = zip(fullIm2col(x, g), y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x, fullCol2im(y, g)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let scale = max(1, abs(left), abs(right))
        #expect(abs(left - right) / scale < 1e-4)
    }

    /// Checks channel and batch blocks write exactly their part (race-free splitting).
    @Test("channel and batch blocks write exactly their part (race-free splitting)")
    func blockSplitting() {
        let g = Conv2dGeometry(batch: 3, channels: 4, height: 8, width: 7, kernelH: 3, kernelW: 2,
                               strideH: 2, strideW: 1, padH: 1, padW: 1)
        var rng = TestRandom(state: 7)
        let x = rng.floats(g.inputCount)
        let full = fullIm2col(x, g)
        var blocked = [Float](repeating: .nan, count: full.count)
        x.withUnsafeBufferPointer { xb in
            blocked.withUnsafeMutableBufferPointer { cb in
                for cr in [0..<1, 1..<4] {
                    for br in [0..<2, 2..<3] {
                        im2col(xb.baseAddress!, cb.baseAddress!, g, channels: cr, batches: br)
                    }
                }
            }
        }
        #expect(blocked.elementsEqual(full) { $0.bitPattern == $1.bitPattern })

        // One block alone leaves everything outside it untouched.
        var single = [Float](repeating: .nan, count: full.count)
        x.withUnsafeBufferPointer { xb in
            single.withUnsafeMutableBufferPointer { cb in
                im2col(xb.baseAddress!, cb.baseAddress!, g, channels: 1..<3, batches: 1..<2)
            }
        }
        let plane = g.outputPlaneSize
        for r in 0..<g.colRows {
            let c = r / (g.kernelH * g.kernelW)
            for col in 0..<g.colColumns {
                let inside = (1..<3).contains(c) && col / plane == 1
                let v = single[r * g.colColumns + col]
                #expect(inside ? v == full[r * g.colColumns + col] : v.isNaN)
            }
        }

        // col2im by blocks equals col2im of the whole.
        let y = rng.floats(full.count)
        let wholeBack = fullCol2im(y, g)
        var blockedBack = [Float](repeating: 0, count: g.inputCount)
        y.withUnsafeBufferPointer { yb in
            blockedBack.withUnsafeMutableBufferPointer { xb in
                for cr in [0..<3, 3..<4] {
                    for br in [0..<1, 1..<3] {
                        col2im(yb.baseAddress!, xb.baseAddress!, g, channels: cr, batches: br)
                    }
                }
            }
        }
        #expect(blockedBack.elementsEqual(wholeBack) { $0.bitPattern == $1.bitPattern })
    }

    /// Checks geometry: output sizes and validation messages name the bad value.
    @Test("geometry: output sizes and validation messages name the bad value")
    func geometryValidation() {
        let g = Conv2dGeometry(batch: 128, channels: 32, height: 12, width: 12, kernelH: 5, kernelW: 5)
        #expect(g.outH == 8 && g.outW == 8 && g.colRows == 800 && g.colColumns == 8192)
        let s2 = Conv2dGeometry(batch: 1, channels: 1, height: 28, width: 27, kernelH: 3, kernelW: 3,
                                strideH: 2, strideW: 2, padH: 1, padW: 1)
        #expect(s2.outH == 14 && s2.outW == 14)
        let d2 = Conv2dGeometry(batch: 1, channels: 1, height: 10, width: 10, kernelH: 3, kernelW: 3,
                                dilationH: 2, dilationW: 3)
        #expect(d2.outH == 6 && d2.outW == 4)

        var bad = g
        bad.strideW = 0
        #expect(bad.validate()?.contains("strideW=0") == true)
        bad = g
        bad.channels = -1
        #expect(bad.validate()?.contains("channels=-1") == true)
        bad = g
        bad.padH = -2
        #expect(bad.validate()?.contains("padH=-2") == true)
        bad = g
        bad.height = 3
        #expect(bad.outH == 0)
        #expect(bad.validate()?.contains("outH") == true)
        bad = g
        bad.width = 4
        bad.dilationW = 2
        #expect(bad.validate()?.contains("outW") == true)
        bad = g
        bad.batch = 0
        #expect(bad.validate()?.contains("batch=0") == true)
    }
}
