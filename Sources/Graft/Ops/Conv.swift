/// 2-D convolution and transposed convolution over NCHW tensors, as GEMMs over im2col
/// columns with the batch folded in. `unfold` and `fold` are each other's adjoints, so
/// convolutions are differentiable to any order.
extension Tensor {
    /// A validated geometry, or a stop naming the op and every size involved.
    static func convGeometry(op: String, input: [Int], kernel: (Int, Int), stride: (Int, Int),
                             padding: (Int, Int), dilation: (Int, Int)) -> Conv2dGeometry {
        guard input.count == 4 else {
            graftFatal(ShapeError(op: op, "needs an NCHW input of rank 4, got shape \(shapeString(input))"))
        }
        let g = Conv2dGeometry(batch: input[0], channels: input[1], height: input[2], width: input[3],
                               kernelH: kernel.0, kernelW: kernel.1, strideH: stride.0, strideW: stride.1,
                               padH: padding.0, padW: padding.1, dilationH: dilation.0, dilationW: dilation.1)
        if let problem = g.validate() {
            graftFatal(ShapeError(op: op,
                                  "\(problem) (input \(shapeString(input)), kernel \(kernel), stride \(stride), "
                                  + "padding \(padding), dilation \(dilation))"))
        }
        return g
    }

    /// The im2col matrix [C*kh*kw, N*outH*outW] of this NCHW tensor.
    func unfold(_ g: Conv2dGeometry) -> Tensor {
        Tensor.record(backend.im2col(self, g), op: "unfold", inputs: [self]) { ctx in [ctx.grad.fold(g)] }
    }

    /// The NCHW tensor whose im2col matrix this is, with overlapping entries added (col2im).
    func fold(_ g: Conv2dGeometry) -> Tensor {
        Tensor.record(backend.col2im(self, g), op: "fold", inputs: [self]) { ctx in [ctx.grad.unfold(g)] }
    }

    /// The im2row matrix [N*outH, C*kh*W] of this NCHW tensor, for a kernel spanning the width.
    func unfoldRows(_ g: Conv2dGeometry) -> Tensor {
        Tensor.record(backend.im2row(self, g), op: "unfoldRows", inputs: [self]) { ctx in [ctx.grad.foldRows(g)] }
    }

    /// The NCHW tensor whose im2row matrix this is, with overlapping entries added (row2im).
    func foldRows(_ g: Conv2dGeometry) -> Tensor {
        Tensor.record(backend.row2im(self, g), op: "foldRows", inputs: [self]) { ctx in [ctx.grad.unfoldRows(g)] }
    }

    /// 2-D cross-correlation (PyTorch's conv2d): input [N, C, H, W], weight [O, C, kh, kw],
    /// optional bias [O]; output [N, O, outH, outW].
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                              padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)) -> Tensor {
        guard weight.rank == 4, input.rank == 4, weight.shape[1] == input.shape[1] else {
            graftFatal(ShapeError(op: "conv2d",
                                  "input \(shapeString(input.shape)) and weight \(shapeString(weight.shape)) do not match "
                                  + "(weight must be [out, \(input.rank == 4 ? input.shape[1] : -1), kh, kw])"))
        }
        if let bias, bias.shape != [weight.shape[0]] {
            graftFatal(ShapeError(op: "conv2d", "bias of shape \(shapeString(bias.shape)) for \(weight.shape[0]) output channels"))
        }
        let g = convGeometry(op: "conv2d", input: input.shape, kernel: (weight.shape[2], weight.shape[3]),
                             stride: stride, padding: padding, dilation: dilation)
        let o = weight.shape[0]
        if g.spansFullWidth {
            // One output column: patches are runs of whole rows (text CNNs), see Im2Row.swift.
            let rows = input.unfoldRows(g)                                 // [N*outH, C*kh*W]
            let y = matmul(rows, weight.reshape([o, -1]), transposeB: true)  // [N*outH, O]
            var out = y.reshape([g.batch, g.outH, o]).permute(0, 2, 1).reshape([g.batch, o, g.outH, 1])
            if let bias { out = out + bias.reshape([1, o, 1, 1]) }
            return out
        }
        let cols = input.unfold(g)
        let y = weight.reshape([o, -1]).matmul(cols)                  // [O, N*outH*outW]
        var out = y.reshape([o, g.batch, g.outH, g.outW]).permute(1, 0, 2, 3)
        if let bias { out = out + bias.reshape([1, o, 1, 1]) }
        return out
    }

    /// Transposed convolution (the adjoint of conv2d, PyTorch's conv_transpose2d): input
    /// [N, Cin, H, W], weight [Cin, Cout, kh, kw]; output size (H-1)·s - 2p + d·(k-1) + op + 1.
    public static func convTranspose2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                       padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                                       dilation: (Int, Int) = (1, 1)) -> Tensor {
        guard weight.rank == 4, input.rank == 4, weight.shape[0] == input.shape[1] else {
            graftFatal(ShapeError(op: "convTranspose2d",
                                  "input \(shapeString(input.shape)) and weight \(shapeString(weight.shape)) do not match "
                                  + "(weight must be [\(input.rank == 4 ? input.shape[1] : -1), out, kh, kw])"))
        }
        if outputPadding.0 < 0 || outputPadding.1 < 0
            || (outputPadding.0 >= Swift.max(stride.0, dilation.0)) || (outputPadding.1 >= Swift.max(stride.1, dilation.1)) {
            graftFatal(ShapeError(op: "convTranspose2d",
                                  "outputPadding \(outputPadding) must be non-negative and smaller than the stride or dilation"))
        }
        let (n, cin, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (cout, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
        if let bias, bias.shape != [cout] {
            graftFatal(ShapeError(op: "convTranspose2d", "bias of shape \(shapeString(bias.shape)) for \(cout) output channels"))
        }
        let outH = (h - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kh - 1) + outputPadding.0 + 1
        let outW = (w - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kw - 1) + outputPadding.1 + 1
        if outH < 1 || outW < 1 {
            graftFatal(ShapeError(op: "convTranspose2d",
                                  "output would be \(outH)x\(outW) for input \(shapeString(input.shape)) and weight \(shapeString(weight.shape))"))
        }
        let g = convGeometry(op: "convTranspose2d", input: [n, cout, outH, outW], kernel: (kh, kw),
                             stride: stride, padding: padding, dilation: dilation)
        precondition(g.outH == h && g.outW == w, "Graft internal error: convTranspose2d geometry \(g.outH)x\(g.outW) vs input \(h)x\(w)")
        let xcols = input.permute(1, 0, 2, 3).reshape([cin, n * h * w])
        let cols = matmul(weight.reshape([cin, -1]), xcols, transposeA: true)   // [Cout*kh*kw, N*H*W]
        var out = cols.fold(g)
        if let bias { out = out + bias.reshape([1, cout, 1, 1]) }
        return out
    }
}
