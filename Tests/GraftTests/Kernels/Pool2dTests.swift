import Testing
@testable import Graft


/// Pooling windows: the usual 2x2/2, overlapping 3x3/2 with padding, dilation, non-square,
/// stride 1 and a global-like window.
private let poolGeometries: [Conv2dGeometry] = [
    Conv2dGeometry(batch: 2, channels: 3, height: 8, width: 8, kernelH: 2, kernelW: 2,
                   strideH: 2, strideW: 2),
    Conv2dGeometry(batch: 2, channels: 2, height: 9, width: 7, kernelH: 3, kernelW: 3,
                   strideH: 2, strideW: 2, padH: 1, padW: 1),
    Conv2dGeometry(batch: 1, channels: 2, height: 10, width: 11, kernelH: 3, kernelW: 2,
                   strideH: 1, strideW: 2, padH: 1, padW: 1, dilationH: 2, dilationW: 2),
    Conv2dGeometry(batch: 2, channels: 1, height: 7, width: 12, kernelH: 4, kernelW: 5,
                   strideH: 3, strideW: 2, padH: 2, padW: 2),
    Conv2dGeometry(batch: 1, channels: 3, height: 6, width: 6, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 1),
    Conv2dGeometry(batch: 2, channels: 2, height: 5, width: 5, kernelH: 5, kernelW: 5,
                   strideH: 5, strideW: 5),
    // Narrow outputs with >= 8 planes: the across-planes vectors (8 planes + leftovers).
    Conv2dGeometry(batch: 2, channels: 5, height: 9, width: 8, kernelH: 2, kernelW: 2,
                   strideH: 2, strideW: 2),
    Conv2dGeometry(batch: 1, channels: 9, height: 7, width: 25, kernelH: 2, kernelW: 3,
                   strideH: 1, strideW: 3, padH: 1, padW: 1),
    // Wide outputs: the along-row vectors (stride 2, 1 and 3; overlapping last group).
    Conv2dGeometry(batch: 1, channels: 2, height: 6, width: 40, kernelH: 3, kernelW: 3,
                   strideH: 2, strideW: 2, padH: 1, padW: 1),
    Conv2dGeometry(batch: 2, channels: 1, height: 5, width: 30, kernelH: 3, kernelW: 3,
                   strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 2, dilationW: 2),
    Conv2dGeometry(batch: 1, channels: 1, height: 4, width: 50, kernelH: 2, kernelW: 2,
                   strideH: 3, strideW: 3),
]

/// Naive max pool: scans the window in row-major order, keeps the first strict maximum.
private func naiveMaxPool(_ x: [Float], _ g: Conv2dGeometry) -> (values: [Float], indices: [Int32]) {
    var values = [Float](), indices = [Int32]()
    for p in 0..<g.planeCount {
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                var best = -Float.infinity, bestIndex: Int32 = -1
                for i in 0..<g.kernelH {
                    for j in 0..<g.kernelW {
                        let ih = oh * g.strideH - g.padH + i * g.dilationH
                        let iw = ow * g.strideW - g.padW + j * g.dilationW
                        guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
                        let k = ih * g.width + iw
                        if bestIndex < 0 || x[p * g.height * g.width + k] > best {
                            best = x[p * g.height * g.width + k]
                            bestIndex = Int32(k)
                        }
                    }
                }
                values.append(best)
                indices.append(bestIndex)
            }
        }
    }
    return (values, indices)
}

/// Naive max pool with PyTorch's CPU update rule `v > best || v.isNaN` (the last NaN wins).
private func naiveMaxPoolNaN(_ x: [Float], _ g: Conv2dGeometry) -> (values: [Float], indices: [Int32]) {
    var values = [Float](), indices = [Int32]()
    for p in 0..<g.planeCount {
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                var best = -Float.infinity, bestIndex: Int32 = -1
                for i in 0..<g.kernelH {
                    for j in 0..<g.kernelW {
                        let ih = oh * g.strideH - g.padH + i * g.dilationH
                        let iw = ow * g.strideW - g.padW + j * g.dilationW
                        guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
                        let k = ih * g.width + iw
                        let v = x[p * g.height * g.width + k]
                        if bestIndex < 0 || v > best || v.isNaN {
                            best = v
                            bestIndex = Int32(k)
                        }
                    }
                }
                values.append(best)
                indices.append(bestIndex)
            }
        }
    }
    return (values, indices)
}

/// Naive average pool with PyTorch's divisor rules (ceil_mode = false).
private func naiveAvgPool(_ x: [Float], _ g: Conv2dGeometry, countIncludePad: Bool) -> [Double] {
    var out = [Double]()
    for p in 0..<g.planeCount {
        for oh in 0..<g.outH {
            for ow in 0..<g.outW {
                var s = 0.0, count = 0
                for i in 0..<g.kernelH {
                    for j in 0..<g.kernelW {
                        let ih = oh * g.strideH - g.padH + i * g.dilationH
                        let iw = ow * g.strideW - g.padW + j * g.dilationW
                        guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
                        s += Double(x[(p * g.height + ih) * g.width + iw])
                        count += 1
                    }
                }
                out.append(s / Double(countIncludePad ? g.kernelH * g.kernelW : count))
            }
        }
    }
    return out
}

/// Runs maxPool2dForward over all planes in one call (`split` false) or in two plane ranges
/// like a thread pool would (`split` true).
private func runMaxPool(_ x: [Float], _ g: Conv2dGeometry, split: Bool = false) -> (values: [Float], indices: [Int32]) {
    let outCount = g.planeCount * g.outputPlaneSize
    var y = [Float](repeating: .nan, count: outCount)
    var idx = [Int32](repeating: -7, count: outCount)
    let middle = split ? g.planeCount / 2 : g.planeCount
    x.withUnsafeBufferPointer { xb in
        y.withUnsafeMutableBufferPointer { yb in
            idx.withUnsafeMutableBufferPointer { ib in
                for range in [0..<middle, middle..<g.planeCount] {
                    maxPool2dForward(xb.baseAddress!, yb.baseAddress!, ib.baseAddress!, g, planes: range)
                }
            }
        }
    }
    return (y, idx)
}

/// Runs avgPool2dForward over all planes in one call, or split into two plane ranges.
private func runAvgPool(_ x: [Float], _ g: Conv2dGeometry, countIncludePad: Bool, split: Bool = false) -> [Float] {
    var y = [Float](repeating: .nan, count: g.planeCount * g.outputPlaneSize)
    let middle = split ? g.planeCount / 2 : g.planeCount
    x.withUnsafeBufferPointer { xb in
        y.withUnsafeMutableBufferPointer { yb in
            for range in [0..<middle, middle..<g.planeCount] {
                avgPool2dForward(xb.baseAddress!, yb.baseAddress!, g, countIncludePad: countIncludePad,
                                 planes: range)
            }
        }
    }
    return y
}

/// Runs avgPool2dBackward over all planes into a zeroed input gradient, split into two ranges.
private func runAvgPoolBackward(_ gy: [Float], _ g: Conv2dGeometry, countIncludePad: Bool) -> [Float] {
    var gx = [Float](repeating: 0, count: g.inputCount)
    let split = (g.planeCount + 1) / 2
    gy.withUnsafeBufferPointer { yb in
        gx.withUnsafeMutableBufferPointer { xb in
            for range in [0..<split, split..<g.planeCount] {
                avgPool2dBackward(yb.baseAddress!, xb.baseAddress!, g, countIncludePad: countIncludePad,
                                  planes: range)
            }
        }
    }
    return gx
}

/// Tests of the Pool2d kernels.
@Suite("Pool2d")
struct Pool2dTests {
    /// Checks max pool matches the naive loop, values and plane-flat indices.
    @Test("max pool matches the naive loop, values and plane-flat indices", arguments: poolGeometries.indices)
    func maxPoolMatchesNaive(_ index: Int) {
        let g = poolGeometries[index]
        #expect(g.validatePooling() == nil)
        var rng = TestRandom(state: 11 + UInt64(index))
        for x in [rng.floats(g.inputCount), rng.tiedFloats(g.inputCount)] {
            let (values, indices) = runMaxPool(x, g)
            let expected = naiveMaxPool(x, g)
            #expect(values == expected.values)
            #expect(indices == expected.indices, "ties take the first maximum in row-major order")
            let splitRun = runMaxPool(x, g, split: true)
            #expect(splitRun.values == values && splitRun.indices == indices)
            // Each index points at its value inside its own plane.
            for (o, k) in indices.enumerated() {
                let p = o / g.outputPlaneSize
                #expect(x[p * g.inputPlaneSize + Int(k)] == values[o])
            }
        }
    }

    /// Checks max pool: padding never wins, ties and NaN.
    @Test("max pool: padding never wins, ties and NaN")
    func maxPoolEdgeCases() {
        // All-negative input with padding: padding (-inf) must not be selected.
        let g = Conv2dGeometry(batch: 1, channels: 1, height: 3, width: 3, kernelH: 3, kernelW: 3,
                               strideH: 1, strideW: 1, padH: 1, padW: 1)
        let x: [Float] = [-5, -4, -3, -2, -6, -1, -7, -8, -9]
        let (values, indices) = runMaxPool(x, g)
        #expect(values == [-2, -1, -1, -2, -1, -1, -2, -1, -1])
        #expect(indices == [3, 5, 5, 3, 5, 5, 3, 5, 5])

        // A constant plane: every window takes its first valid position.
        let flat = [Float](repeating: 2, count: 9)
        #expect(runMaxPool(flat, g).indices == [0, 0, 1, 0, 0, 1, 3, 3, 4])

        // NaN propagates.
        var withNaN = x
        withNaN[0] = .nan
        let r = runMaxPool(withNaN, g)
        #expect(r.values[0].isNaN && r.indices[0] == 0)
        #expect(r.values[8] == -1 && r.indices[8] == 5)
    }

    /// Checks max pool: NaN propagates in the vector paths too.
    @Test("max pool: NaN propagates in the vector paths too", arguments: [6, 8])
    func maxPoolNaNVector(_ index: Int) {
        let g = poolGeometries[index]
        var rng = TestRandom(state: 3)
        var x = rng.floats(g.inputCount)
        for k in stride(from: 5, to: x.count, by: 37) { x[k] = .nan }
        let (values, indices) = runMaxPool(x, g)
        let expected = naiveMaxPoolNaN(x, g)
        #expect(values.elementsEqual(expected.values) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(indices == expected.indices)
        #expect(values.contains { $0.isNaN })
    }

    /// Checks max pool backward scatters into the argmax positions.
    @Test("max pool backward scatters into the argmax positions")
    func maxPoolBackward() {
        let g = poolGeometries[1]
        var rng = TestRandom(state: 5)
        let x = rng.floats(g.inputCount)
        let (_, indices) = runMaxPool(x, g)
        let gy = rng.floats(indices.count)
        var expected = [Float](repeating: 0, count: g.inputCount)
        for (o, k) in indices.enumerated() {
            expected[(o / g.outputPlaneSize) * g.inputPlaneSize + Int(k)] += gy[o]
        }
        var gx = [Float](repeating: 0, count: g.inputCount)
        gy.withUnsafeBufferPointer { yb in
            indices.withUnsafeBufferPointer { ib in
                gx.withUnsafeMutableBufferPointer { xb in
                    maxPool2dBackward(yb.baseAddress!, ib.baseAddress!, xb.baseAddress!, g, planes: 0..<2)
                    maxPool2dBackward(yb.baseAddress!, ib.baseAddress!, xb.baseAddress!, g, planes: 2..<g.planeCount)
                }
            }
        }
        #expect(gx == expected)
    }

    /// Checks avg pool forward matches the naive loop for both countIncludePad settings.
    @Test("avg pool forward matches the naive loop for both countIncludePad settings",
          arguments: poolGeometries.indices, [true, false])
    func avgPoolMatchesNaive(_ index: Int, _ countIncludePad: Bool) {
        let g = poolGeometries[index]
        var rng = TestRandom(state: 31 + UInt64(index))
        let x = rng.floats(g.inputCount)
        let y = runAvgPool(x, g, countIncludePad: countIncludePad)
        let expected = naiveAvgPool(x, g, countIncludePad: countIncludePad)
        let worst = zip(y, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-6)
        let splitRun = runAvgPool(x, g, countIncludePad: countIncludePad, split: true)
        #expect(splitRun.elementsEqual(y) { $0.bitPattern == $1.bitPattern })
    }

    /// Checks avg pool divisors: corner windows with padding (PyTorch values).
    @Test("avg pool divisors: corner windows with padding (PyTorch values)")
    func avgPoolDivisors() {
        // 2x2 input of ones, 3x3 window, stride 1, padding 1 -> every window covers 4 ones.
        let g = Conv2dGeometry(batch: 1, channels: 1, height: 2, width: 2, kernelH: 3, kernelW: 3,
                               padH: 1, padW: 1)
        let ones = [Float](repeating: 1, count: 4)
        #expect(runAvgPool(ones, g, countIncludePad: true) == [Float](repeating: 4.0 / 9.0, count: 4))
        #expect(runAvgPool(ones, g, countIncludePad: false) == [1, 1, 1, 1])
    }

    /// Checks avg pool backward is the adjoint of forward: <avg(x), y> == <x, avgT(y)>.
    @Test("avg pool backward is the adjoint of forward: <avg(x), y> == <x, avgT(y)>",
          arguments: poolGeometries.indices, [true, false])
    func avgPoolBackwardIsAdjoint(_ index: Int, _ countIncludePad: Bool) {
        let g = poolGeometries[index]
        var rng = TestRandom(state: 77 + UInt64(index))
        let x = rng.floats(g.inputCount)
        let gy = rng.floats(g.planeCount * g.outputPlaneSize)
        let forward = runAvgPool(x, g, countIncludePad: countIncludePad)
        let backward = runAvgPoolBackward(gy, g, countIncludePad: countIncludePad)
        let left = zip(forward, gy).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x, backward).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(left - right) / max(1, abs(left)) < 1e-5)
    }

    /// Checks pooling validation: padding at most half the effective kernel.
    @Test("pooling validation: padding at most half the effective kernel")
    func poolingValidation() {
        var g = Conv2dGeometry(batch: 1, channels: 1, height: 8, width: 8, kernelH: 3, kernelW: 3,
                               strideH: 2, strideW: 2, padH: 1, padW: 1)
        #expect(g.validatePooling() == nil)
        g.padW = 2
        #expect(g.validatePooling()?.contains("padW=2") == true)
        g.padW = 1
        g.padH = 2
        g.dilationH = 2  // effective kernel 5: pad 2 allowed
        #expect(g.validatePooling() == nil)
        g.strideH = 0
        #expect(g.validatePooling()?.contains("strideH=0") == true)
    }
}
