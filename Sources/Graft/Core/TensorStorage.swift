#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-byte aligned, malloc'd block of Float32 values owned by one or more tensors.
///
/// Storage is not a Swift Array: allocating an array costs about 7x a malloc'd buffer
/// (SWIFT-NOTES.md), and kernels want raw pointers without bounds checks or copy-on-write.
final class TensorStorage: @unchecked Sendable {
    /// The first element.
    let pointer: UnsafeMutablePointer<Float>
    /// The number of Float32 elements.
    let count: Int
    /// Where the values live (host memory for `.cpu`).
    let device: Device

    /// Keeps freed tensor memory in the process instead of returning it to the system
    /// after every step: otherwise glibc unmaps large buffers (logits, activations) on free
    /// and every training step pays their page faults again (1.2-1.9x on the SeqGAN steps,
    /// ../shared/perf/README.md). Runs once, before the first tensor is allocated.
    static let allocatorConfigured: Bool = {
        #if canImport(Glibc)
        // mallopt is not in the Glibc module map: look it up. Parameters from <malloc.h>.
        typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MalloptFunction.self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3
        _ = mallopt(mmapThreshold, 256 << 20)
        _ = mallopt(trimThreshold, Int32.max)
        _ = mallopt(topPad, 64 << 20)
        return true
        #else
        return false
        #endif
    }()

    /// Allocates uninitialised host storage for `count` elements.
    init(count: Int) {
        _ = TensorStorage.allocatorConfigured
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.count = count
        self.device = .cpu
        var raw: UnsafeMutableRawPointer?
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        let status = posix_memalign(&raw, 64, bytes)
        guard status == 0, let raw else {
            fatalError("Graft: could not allocate \(bytes) bytes for a tensor (posix_memalign error \(status))")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    /// Allocates storage filled with `value`.
    convenience init(count: Int, repeating value: Float) {
        self.init(count: count)
        pointer.initialize(repeating: value, count: count)
    }

    deinit { free(pointer) }
}
