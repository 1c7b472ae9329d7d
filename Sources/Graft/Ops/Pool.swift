/// Max and average pooling over NCHW tensors. Each backward kernel is linear in the
/// gradient and is recorded with its adjoint, so pooling is differentiable to any order.
extension Tensor {
    /// Max pooling with a kh x kw window (stride defaults to the window, padding counts as
    /// -inf); the gradient goes to the first maximum of each window.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          dilation: (Int, Int) = (1, 1)) -> Tensor {
        let g = Tensor.poolGeometry(op: "maxPool2d", input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding, dilation: dilation)
        let (out, argmax) = backend.maxPool2d(self, g)
        return Tensor.record(out, op: "maxPool2d", inputs: [self]) { ctx in [ctx.grad.maxPoolScatter(argmax, g)] }
    }

    /// Adds each output gradient onto the input position its maximum came from.
    func maxPoolScatter(_ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor {
        let out = backend.maxPool2dScatter(self, argmax, g)
        return Tensor.record(out, op: "maxPool2dBackward", inputs: [self]) { ctx in [ctx.grad.maxPoolGather(argmax, g)] }
    }

    /// Reads, for each pooling output, the input value at its maximum's position.
    func maxPoolGather(_ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor {
        let out = backend.maxPool2dGather(self, argmax, g)
        return Tensor.record(out, op: "maxPool2dGather", inputs: [self]) { ctx in [ctx.grad.maxPoolScatter(argmax, g)] }
    }

    /// Average pooling; with `countIncludePad` the padding zeros count in the divisor.
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          countIncludePad: Bool = true) -> Tensor {
        let g = Tensor.poolGeometry(op: "avgPool2d", input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding, dilation: (1, 1))
        return avgPoolApply(g, countIncludePad)
    }

    func avgPoolApply(_ g: Conv2dGeometry, _ countIncludePad: Bool) -> Tensor {
        let out = backend.avgPool2d(self, g, countIncludePad: countIncludePad)
        return Tensor.record(out, op: "avgPool2d", inputs: [self]) { ctx in [ctx.grad.avgPoolAdjoint(g, countIncludePad)] }
    }

    func avgPoolAdjoint(_ g: Conv2dGeometry, _ countIncludePad: Bool) -> Tensor {
        let out = backend.avgPool2dAdjoint(self, g, countIncludePad: countIncludePad)
        return Tensor.record(out, op: "avgPool2dBackward", inputs: [self]) { ctx in [ctx.grad.avgPoolApply(g, countIncludePad)] }
    }

    static func poolGeometry(op: String, input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
                             dilation: (Int, Int)) -> Conv2dGeometry {
        let g = convGeometry(op: op, input: input, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        if let problem = g.validatePooling() {
            graftFatal(ShapeError(op: op, "\(problem) (input \(shapeString(input)), kernel \(kernel), padding \(padding))"))
        }
        return g
    }
}
