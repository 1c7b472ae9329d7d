#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An uninitialized Float buffer of many megabytes read at random rows (the scorer's token
/// tables), mapped on 2 MiB boundaries and marked for transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`, Linux): a random row then costs no 4 KiB TLB miss and page walk
/// (the rollout's table reads took 10-15% less time). Where huge pages are unavailable (another
/// system, THP off, a failed map) it is ordinary memory.
///
/// Released mappings are kept for reuse, up to `cacheLimit` bytes, like the tensor allocator
/// keeps freed memory (`TensorStorage`): a scorer made for every rollout call (SeqGAN makes one
/// per generator step) would otherwise fault in and zero its tables again, 250 MB in the
/// benchmark's discriminator.
final class HugePageBuffer: @unchecked Sendable {
    /// The huge-page size on x86-64 Linux.
    static let alignment = 2 << 20
    /// Most bytes of released mappings kept for reuse.
    static let cacheLimit = 1 << 30

    /// The first float.
    let pointer: UnsafeMutablePointer<Float>
    /// Bytes mapped with mmap, or 0 when the buffer came from the allocator.
    private let mapped: Int

    /// Released mappings (start, bytes), most recent last.
    private static let released = Mutex<[(address: Int, bytes: Int)]>([])

    /// Storage for `count` floats.
    init(count: Int) {
        #if os(Linux)
        let bytes = (max(1, count) * MemoryLayout<Float>.stride + Self.alignment - 1) / Self.alignment * Self.alignment
        if let start = Self.reuse(bytes) ?? Self.map(bytes) {
            pointer = start.bindMemory(to: Float.self, capacity: max(1, count))
            mapped = bytes
            return
        }
        #endif
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        mapped = 0
    }

    deinit {
        #if os(Linux)
        if mapped > 0 {
            let (address, bytes) = (Int(bitPattern: pointer), mapped)
            let evicted = Self.released.withLock { list -> [(address: Int, bytes: Int)] in
                list.append((address, bytes))
                var total = list.reduce(0) { $0 + $1.bytes }, dropped: [(address: Int, bytes: Int)] = []
                while total > Self.cacheLimit, !list.isEmpty {
                    let oldest = list.removeFirst()
                    total -= oldest.bytes
                    dropped.append(oldest)
                }
                return dropped
            }
            for region in evicted { munmap(UnsafeMutableRawPointer(bitPattern: region.address), region.bytes) }
            return
        }
        #endif
        pointer.deallocate()
    }

    #if os(Linux)
    /// A released mapping of exactly `bytes`, if one is kept.
    private static func reuse(_ bytes: Int) -> UnsafeMutableRawPointer? {
        released.withLock { list in
            guard let i = list.lastIndex(where: { $0.bytes == bytes }) else { return nil }
            return UnsafeMutableRawPointer(bitPattern: list.remove(at: i).address)
        }
    }

    /// A fresh anonymous mapping of `bytes` (a multiple of `alignment`) on a 2 MiB boundary,
    /// marked for huge pages; nil when mmap fails.
    private static func map(_ bytes: Int) -> UnsafeMutableRawPointer? {
        // One extra huge page, then trimmed to the aligned range.
        guard let raw = mmap(nil, bytes + alignment, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        let address = Int(bitPattern: raw)
        let aligned = (address + alignment - 1) / alignment * alignment
        if aligned > address { munmap(raw, aligned - address) }
        let tail = address + alignment - aligned
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + bytes), tail) }
        let start = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(start, bytes, Int32(MADV_HUGEPAGE))
        return start
    }
    #endif
}
