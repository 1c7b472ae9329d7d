/// Max and average pooling of the CPU backend (`Pool2d.swift`), split over (n, c) planes.
extension CPUBackend {
    /// Splits the (n, c) planes of a pooling op across threads.
    private func forPlanes(_ g: Conv2dGeometry, _ body: (Range<Int>) -> Void) {
        let planes = g.batch * g.channels
        let perPlane = Swift.max(1, g.height * g.width)
        ThreadPool.shared.parallelChunks(total: planes, minChunk: Swift.max(1, parallelElementThreshold / perPlane), body)
    }

    func maxPool2d(_ x: Tensor, _ g: Conv2dGeometry) -> (Tensor, PoolIndices) {
        let out = Tensor(uninitializedShape: [g.batch, g.channels, g.outH, g.outW])
        let indices = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(out.count, 1))
        let px = UnsafePointer(x.storage.pointer), y = out.storage.pointer
        forPlanes(g) { maxPool2dForward(px, y, indices, g, planes: $0) }
        return (out, PoolIndices(pointer: indices, count: out.count))
    }

    func maxPool2dScatter(_ gy: Tensor, _ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor {
        let out = full([g.batch, g.channels, g.height, g.width], 0)
        let py = UnsafePointer(gy.storage.pointer), gx = out.storage.pointer
        forPlanes(g) { maxPool2dBackward(py, argmax.pointer, gx, g, planes: $0) }
        return out
    }

    func maxPool2dGather(_ x: Tensor, _ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor {
        let out = Tensor(uninitializedShape: [g.batch, g.channels, g.outH, g.outW])
        let src = x.storage.pointer, dst = out.storage.pointer
        let inPlane = g.height * g.width, outPlane = g.outH * g.outW
        for p in 0..<(g.batch * g.channels) {
            for o in 0..<outPlane {
                let k = Int(argmax.pointer[p * outPlane + o])
                dst[p * outPlane + o] = k >= 0 ? src[p * inPlane + k] : 0
            }
        }
        return out
    }

    func avgPool2d(_ x: Tensor, _ g: Conv2dGeometry, countIncludePad: Bool) -> Tensor {
        let out = Tensor(uninitializedShape: [g.batch, g.channels, g.outH, g.outW])
        let px = UnsafePointer(x.storage.pointer), y = out.storage.pointer
        forPlanes(g) { avgPool2dForward(px, y, g, countIncludePad: countIncludePad, planes: $0) }
        return out
    }

    func avgPool2dAdjoint(_ gy: Tensor, _ g: Conv2dGeometry, countIncludePad: Bool) -> Tensor {
        let out = full([g.batch, g.channels, g.height, g.width], 0)
        let py = UnsafePointer(gy.storage.pointer), gx = out.storage.pointer
        forPlanes(g) { avgPool2dBackward(py, gx, g, countIncludePad: countIncludePad, planes: $0) }
        return out
    }
}
