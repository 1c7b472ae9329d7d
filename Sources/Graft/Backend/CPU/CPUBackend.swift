/// The CPU backend: host memory, the SIMD kernels in this folder, `ThreadPool` and `sgemm`.
/// This file holds memory and random fills; the other `CPUBackend+*.swift` files one family of
/// primitives each.
struct CPUBackend: Backend {
    /// The one instance (the backend has no state of its own).
    static let shared = CPUBackend()

    func makeStorage(_ values: UnsafeBufferPointer<Float>) -> TensorStorage {
        let storage = TensorStorage(count: values.count)
        if let base = values.baseAddress, values.count > 0 { storage.pointer.update(from: base, count: values.count) }
        return storage
    }

    func makeStorage(uninitializedCount count: Int) -> TensorStorage { TensorStorage(count: count) }

    func makeStorage(count: Int, repeating value: Float) -> TensorStorage {
        TensorStorage(count: count, repeating: value)
    }

    func withHostBuffer<R>(_ x: Tensor, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: x.storage.pointer, count: x.count))
    }

    func arange(start: Float, step: Float, count: Int) -> Tensor {
        let t = Tensor(uninitializedShape: [count])
        let p = t.storage.pointer
        for i in 0..<count { p[i] = start + Float(i) * step }
        return t
    }

    func copy(_ x: Tensor) -> Tensor {
        let t = Tensor(uninitializedShape: x.shape)
        t.storage.pointer.update(from: x.storage.pointer, count: x.count)
        return t
    }

    func assign(_ dst: Tensor, from src: Tensor) {
        if src.storage.pointer != dst.storage.pointer {
            dst.storage.pointer.update(from: src.storage.pointer, count: dst.count)
        }
    }

    func random(_ fill: RandomFill, shape: [Int], generator: RandomGenerator) -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        let p = t.storage.pointer, n = t.count
        switch fill {
        case let .normal(mean, std):
            for i in 0..<n { p[i] = mean + std * generator.nextNormal() }
        case let .uniform(low, high):
            let scale = high - low
            for i in 0..<n { p[i] = low + scale * generator.nextFloat() }
        case let .bernoulli(probability):
            for i in 0..<n { p[i] = generator.nextFloat() < probability ? 1 : 0 }
        case .gumbel:
            for i in 0..<n {
                // u in (0, 1): both logarithms finite.
                let u = Swift.min(generator.nextOpenFloat(), 1 - 0x1p-24)
                p[i] = -libmLog(-libmLog(u))
            }
        case let .dropoutMask(keep):
            let scale = 1 / keep
            for i in 0..<n { p[i] = generator.nextFloat() < keep ? scale : 0 }
        }
        return t
    }
}
