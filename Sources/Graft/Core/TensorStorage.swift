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

    /// Allocates uninitialised storage for `count` elements.
    init(count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.count = count
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
