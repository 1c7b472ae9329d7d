/// Gather, scatter-add, index-select and strided copies of the CPU backend.
extension CPUBackend {
    func gather(_ x: Tensor, offsets: [Int], shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = x.storage.pointer, dst = out.storage.pointer
        for i in 0..<offsets.count { dst[i] = src[offsets[i]] }
        return out
    }

    func scatterAdd(_ src: Tensor, offsets: [Int], into dst: Tensor) {
        let d = dst.storage.pointer, s = src.storage.pointer
        for i in 0..<offsets.count { d[offsets[i]] += s[i] }
    }

    func indexSelect(_ x: Tensor, indices: [Int], outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = x.storage.pointer, dst = out.storage.pointer
        for o in 0..<outer {
            for (j, r) in indices.enumerated() {
                (dst + (o * indices.count + j) * inner).update(from: src + (o * n + r) * inner, count: inner)
            }
        }
        return out
    }

    func indexAdd(_ x: Tensor, indices: [Int], outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor {
        let out = full(shape, 0)
        let src = x.storage.pointer, dst = out.storage.pointer
        for o in 0..<outer {
            for (j, r) in indices.enumerated() {
                let d = dst + (o * n + r) * inner, s = src + (o * indices.count + j) * inner
                for k in 0..<inner { d[k] += s[k] }
            }
        }
        return out
    }

    func oneHot(_ indices: [Int], classes: Int, shape: [Int]) -> Tensor {
        let out = full(shape, 0)
        let p = out.storage.pointer
        for (i, c) in indices.enumerated() { p[i * classes + c] = 1 }
        return out
    }

    func stridedGather(_ x: Tensor, base: Int, strides: [Int], shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        StridedCopy.gather(x.storage.pointer, base: base, strides: strides, dims: shape, into: out.storage.pointer)
        return out
    }

    func stridedScatter(_ x: Tensor, into dst: Tensor, base: Int, strides: [Int], accumulate: Bool) {
        StridedCopy.scatter(x.storage.pointer, dims: x.shape, into: dst.storage.pointer, base: base,
                            strides: strides, accumulate: accumulate)
    }
}
