/// Max and average pooling over NCHW tensors. Each backward kernel is linear in the
/// gradient and is recorded with its adjoint, so pooling is differentiable to any order.
extension Tensor {
    /// Splits the (n, c) planes of a pooling op across threads.
    static func forPlanes(_ g: Conv2dGeometry, _ body: (Range<Int>) -> Void) {
        let planes = g.batch * g.channels
        let perPlane = Swift.max(1, g.height * g.width)
        ThreadPool.shared.parallelChunks(total: planes, minChunk: Swift.max(1, parallelElementThreshold / perPlane), body)
    }

    /// Max pooling with a kh x kw window (stride defaults to the window, padding counts as
    /// -inf); the gradient goes to the first maximum of each window.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          dilation: (Int, Int) = (1, 1)) -> Tensor {
        let g = Tensor.poolGeometry(op: "maxPool2d", input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding, dilation: dilation)
        let out = Tensor(uninitializedShape: [g.batch, g.channels, g.outH, g.outW])
        let indices = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(out.count, 1))
        let x = UnsafePointer(storage.pointer), y = out.storage.pointer
        Tensor.forPlanes(g) { maxPool2dForward(x, y, indices, g, planes: $0) }
        let argmax = PoolIndices(pointer: indices, count: out.count)
        return Tensor.record(out, op: "maxPool2d", inputs: [self]) { ctx in [ctx.grad.maxPoolScatter(argmax, g)] }
    }

    /// Adds each output gradient onto the input position its maximum came from.
    func maxPoolScatter(_ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor {
        let out = Tensor.zeros([g.batch, g.channels, g.height, g.width])
        let gy = UnsafePointer(storage.pointer), gx = out.storage.pointer
        Tensor.forPlanes(g) { maxPool2dBackward(gy, argmax.pointer, gx, g, planes: $0) }
        return Tensor.record(out, op: "maxPool2dBackward", inputs: [self]) { ctx in [ctx.grad.maxPoolGather(argmax, g)] }
    }

    /// Reads, for each pooling output, the input value at its maximum's position.
    func maxPoolGather(_ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor {
        let out = Tensor(uninitializedShape: [g.batch, g.channels, g.outH, g.outW])
        let src = storage.pointer, dst = out.storage.pointer
        let inPlane = g.height * g.width, outPlane = g.outH * g.outW
        for p in 0..<(g.batch * g.channels) {
            for o in 0..<outPlane {
                let k = Int(argmax.pointer[p * outPlane + o])
                dst[p * outPlane + o] = k >= 0 ? src[p * inPlane + k] : 0
            }
        }
        return Tensor.record(out, op: "maxPool2dGather", inputs: [self]) { ctx in [ctx.grad.maxPoolScatter(argmax, g)] }
    }

    /// Average pooling; with `countIncludePad` the padding zeros count in the divisor.
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                          countIncludePad: Bool = true) -> Tensor {
        let g = Tensor.poolGeometry(op: "avgPool2d", input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding, dilation: (1, 1))
        return avgPoolApply(g, countIncludePad)
    }

    func avgPoolApply(_ g: Conv2dGeometry, _ countIncludePad: Bool) -> Tensor {
        let out = Tensor(uninitializedShape: [g.batch, g.channels, g.outH, g.outW])
        let x = UnsafePointer(storage.pointer), y = out.storage.pointer
        Tensor.forPlanes(g) { avgPool2dForward(x, y, g, countIncludePad: countIncludePad, planes: $0) }
        return Tensor.record(out, op: "avgPool2d", inputs: [self]) { ctx in [ctx.grad.avgPoolAdjoint(g, countIncludePad)] }
    }

    func avgPoolAdjoint(_ g: Conv2dGeometry, _ countIncludePad: Bool) -> Tensor {
        let out = Tensor.zeros([g.batch, g.channels, g.height, g.width])
        let gy = UnsafePointer(storage.pointer), gx = out.storage.pointer
        Tensor.forPlanes(g) { avgPool2dBackward(gy, gx, g, countIncludePad: countIncludePad, planes: $0) }
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

/// The argmax positions of a max-pooling op, freed with the graph that uses them.
final class PoolIndices: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>
    let count: Int
    init(pointer: UnsafeMutablePointer<Int32>, count: Int) { self.pointer = pointer; self.count = count }
    deinit { pointer.deallocate() }
}
