import Testing
@testable import Graft

@Suite struct ConvTests {
    /// Direct convolution by definition, in Double.
    func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * padding.0 - dilation.0 * (kh - 1) - 1) / stride.0 + 1
        let ow = (wd + 2 * padding.1 - dilation.1 * (kw - 1) - 1) / stride.1 + 1
        var out: [Float] = []
        for ni in 0..<n { for oi in 0..<o { for y in 0..<oh { for xx in 0..<ow {
            var s = Double(b?[oi] ?? 0)
            for ci in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let iy = y * stride.0 - padding.0 + i * dilation.0, ix = xx * stride.1 - padding.1 + j * dilation.1
                if iy >= 0 && iy < h && ix >= 0 && ix < wd { s += Double(x[ni, ci, iy, ix]) * Double(w[oi, ci, i, j]) }
            } } }
            out.append(Float(s))
        } } } }
        return out
    }

    @Test(arguments: [((1, 1), (0, 0), (1, 1)), ((2, 2), (1, 1), (1, 1)), ((1, 2), (2, 0), (2, 1)), ((3, 1), (1, 2), (1, 2))])
    func conv2dMatchesDefinition(_ geometry: ((Int, Int), (Int, Int), (Int, Int))) {
        let (stride, padding, dilation) = geometry
        let x = sample([2, 3, 7, 6]), w = sample([4, 3, 3, 2], seed: 2), b = sample([4], seed: 3)
        let y = Tensor.conv2d(x, weight: w, bias: b, stride: stride, padding: padding, dilation: dilation)
        expectClose(y.scalars, naiveConv(x, w, b, stride: stride, padding: padding, dilation: dilation), tol: 1e-5)
    }

    @Test(arguments: [((1, 1), (0, 0), (1, 1)), ((2, 1), (1, 0), (1, 1)), ((1, 1), (2, 0), (2, 1))])
    func fullWidthKernelsMatchDefinition(_ geometry: ((Int, Int), (Int, Int), (Int, Int))) {
        // A kernel as wide as the input (text CNNs) takes the im2row path.
        let (stride, padding, dilation) = geometry
        let x = sample([3, 2, 7, 5]), w = sample([4, 2, 3, 5], seed: 2), b = sample([4], seed: 3)
        let g = Conv2dGeometry(batch: 3, channels: 2, height: 7, width: 5, kernelH: 3, kernelW: 5, strideH: stride.0,
                               strideW: stride.1, padH: padding.0, padW: padding.1, dilationH: dilation.0, dilationW: dilation.1)
        #expect(g.spansFullWidth)
        let y = Tensor.conv2d(x, weight: w, bias: b, stride: stride, padding: padding, dilation: dilation)
        #expect(y.shape == [3, 4, g.outH, 1])
        expectClose(y.scalars, naiveConv(x, w, b, stride: stride, padding: padding, dilation: dilation), tol: 1e-5)
    }

    @Test func fullWidthGradients() {
        let x = sample([2, 1, 6, 4]), w = sample([3, 1, 2, 4], seed: 2), b = sample([3], seed: 3)
        checkGradients([x, w, b]) { Tensor.conv2d($0[0], weight: $0[1], bias: $0[2]) }
        checkGradients([sample([2, 2, 5, 3]), sample([2, 2, 2, 3], seed: 4)]) {
            Tensor.conv2d($0[0], weight: $0[1], stride: (2, 1), padding: (1, 0), dilation: (2, 1))
        }
        // Second order through unfoldRows/foldRows.
        let xhat = sample([2, 1, 5, 3], seed: 7)
        checkGradients([sample([2, 1, 2, 3], seed: 8)], eps: 1e-2, atol: 3e-3, rtol: 3e-2) { p in
            let x = xhat.detach().requiringGrad()
            let d = Tensor.conv2d(x, weight: p[0]).tanh().sum()
            return grad(of: d, wrt: x, createGraph: true).square().sum()
        }
    }

    @Test func convTransposeIsTheAdjointOfConv() {
        // <conv2d(x, w), y> == <x, convTranspose2d(y, w)> for the same stride, padding, dilation.
        for (stride, padding, dilation) in [((1, 1), (0, 0), (1, 1)), ((2, 2), (1, 1), (1, 1)), ((2, 1), (1, 0), (1, 2))] {
            let x = sample([2, 3, 9, 8]), w = sample([4, 3, 3, 3], seed: 2)
            let cx = Tensor.conv2d(x, weight: w, stride: stride, padding: padding, dilation: dilation)
            let y = sample(cx.shape, seed: 5)
            // Recover the input size exactly with outputPadding.
            let oh = (cx.shape[2] - 1) * stride.0 - 2 * padding.0 + dilation.0 * 2 + 1
            let ow = (cx.shape[3] - 1) * stride.1 - 2 * padding.1 + dilation.1 * 2 + 1
            let ty = Tensor.convTranspose2d(y, weight: w, stride: stride, padding: padding,
                                            outputPadding: (9 - oh, 8 - ow), dilation: dilation)
            #expect(ty.shape == x.shape)
            let lhs = (cx * y).sum().item, rhs = (x * ty).sum().item
            #expect(abs(lhs - rhs) < 1e-4 * max(1, abs(lhs)))
        }
    }

    @Test func convTransposeShapeAndKnownValues() {
        // A 1x1 input spreads the kernel: output = weight (+ bias).
        let w = Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
        let y = Tensor.convTranspose2d(Tensor([2], shape: [1, 1, 1, 1]), weight: w, bias: Tensor([1]))
        #expect(y.scalars == [3, 5, 7, 9])
        // DCGAN-style upsampling: 7x7 -> 14x14 with k4 s2 p1.
        let up = Tensor.convTranspose2d(sample([2, 8, 7, 7]), weight: sample([8, 4, 4, 4]), stride: (2, 2), padding: (1, 1))
        #expect(up.shape == [2, 4, 14, 14])
    }

    @Test func gradients() {
        let x = sample([2, 2, 5, 5]), w = sample([3, 2, 3, 3], seed: 2), b = sample([3], seed: 3)
        checkGradients([x, w, b]) { Tensor.conv2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 2), padding: (1, 1)) }
        checkGradients([x, w]) { Tensor.conv2d($0[0], weight: $0[1], padding: (2, 1), dilation: (2, 1)) }
        let wt = sample([2, 3, 3, 3], seed: 4)
        checkGradients([sample([1, 2, 3, 3]), wt, b]) {
            Tensor.convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 2), padding: (1, 1), outputPadding: (1, 1))
        }
    }

    @Test func gradientPenaltyThroughAConvCritic() {
        // Second-order gradients through unfold/fold: a DCGAN-style critic's WGAN-GP term.
        let xhat = sample([2, 1, 6, 6], seed: 7)
        checkGradients([sample([3, 1, 3, 3], seed: 8), sample([1, 3 * 9], seed: 9)], eps: 1e-2, atol: 3e-3, rtol: 3e-2) { p in
            let x = xhat.detach().requiringGrad()
            let h = Tensor.conv2d(x, weight: p[0], stride: (2, 2)).tanh()            // [2, 3, 2, 2]
            let d = h.reshape([2, 12]).matmul(p[1].slice(axis: 1, start: 0, end: 12).T)
            let g = grad(of: d.sum(), wrt: x, createGraph: true)
            return (g.norm(axes: [1, 2, 3]) - 1).square().mean()
        }
    }

    @Test func badGeometryIsRefusedWithItsSizes() {
        let g = Conv2dGeometry(batch: 1, channels: 1, height: 2, width: 2, kernelH: 3, kernelW: 3)
        #expect(g.validate() != nil)
    }
}

@Suite struct PoolTests {
    @Test func maxAndAveragePoolValues() {
        let x = Tensor((0..<16).map { Float($0) }, shape: [1, 1, 4, 4])
        #expect(x.maxPool2d(kernel: (2, 2)).scalars == [5, 7, 13, 15])
        #expect(x.avgPool2d(kernel: (2, 2)).scalars == [2.5, 4.5, 10.5, 12.5])
        #expect(x.maxPool2d(kernel: (3, 3), stride: (1, 1), padding: (1, 1)).shape == [1, 1, 4, 4])
        // Padding counts as zero in the average only with countIncludePad.
        let ones = Tensor.ones([1, 1, 2, 2])
        #expect(ones.avgPool2d(kernel: (2, 2), stride: (1, 1), padding: (1, 1)).scalars[0] == 0.25)
        #expect(ones.avgPool2d(kernel: (2, 2), stride: (1, 1), padding: (1, 1), countIncludePad: false).scalars[0] == 1)
    }

    @Test func gradients() {
        // Distinct values so that no window has a tie within eps.
        let perm = RandomGenerator(seed: 3).permutation(2 * 2 * 6 * 6).map { Float($0) * 0.05 }
        let x = Tensor(perm, shape: [2, 2, 6, 6])
        checkGradients([x]) { $0[0].maxPool2d(kernel: (2, 2)) }
        checkGradients([x]) { $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        checkGradients([x]) { $0[0].avgPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        checkGradients([x]) { $0[0].avgPool2d(kernel: (3, 2), stride: (1, 2), padding: (1, 1), countIncludePad: false) }
        // Second order: the pooling backward kernels are themselves differentiable.
        checkGradients([x]) { p in
            let g = grad(of: (p[0].maxPool2d(kernel: (2, 2)).square()).sum(), wrt: p[0], createGraph: true)
            return g.square()
        }
    }
}
