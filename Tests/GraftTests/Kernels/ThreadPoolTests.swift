import Testing
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
@testable import Graft

/// A counter per index, written by at most one thread per index.
private final class Counts: @unchecked Sendable {
    let values: UnsafeMutablePointer<Int>
    let count: Int
    init(_ count: Int) {
        self.count = count
        values = .allocate(capacity: max(1, count))
        values.initialize(repeating: 0, count: max(1, count))
    }
    deinit { values.deallocate() }
    var all: [Int] { (0..<count).map { values[$0] } }
}

@Suite("ThreadPool")
struct ThreadPoolTests {
    @Test("every index is visited exactly once", arguments: [1, 2, 3, 4, 8])
    func visitsEveryIndexOnce(threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        for count in [0, 1, 2, 3, 5, 7, 64, 1000] {
            let counts = Counts(count)
            pool.parallelFor(count) { i in counts.values[i] += 1 }
            #expect(counts.all == [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    @Test("indices are assigned to threads in fixed contiguous blocks")
    func staticAssignment() {
        let pool = ThreadPool(threadCount: 3)
        let count = 10
        let caller = pthread_self()
        var runs: [[pthread_t]] = []
        for _ in 0..<3 {
            let owners = UnsafeMutablePointer<pthread_t>.allocate(capacity: count)
            defer { owners.deallocate() }
            nonisolated(unsafe) let out = owners
            pool.parallelFor(count) { i in out[i] = pthread_self() }
            runs.append((0..<count).map { owners[$0] })
        }
        #expect(runs[0] == runs[1] && runs[1] == runs[2])
        // Blocks for T = 3, count = 10: 0..<3, 3..<6, 6..<10; block 0 on the caller.
        let owners = runs[0]
        let blocks = [0..<3, 3..<6, 6..<10]
        for block in blocks {
            #expect(Set(block.map { owners[$0] }).count == 1)
        }
        #expect(pthread_equal(owners[0], caller) != 0)
        #expect(Set(blocks.map { owners[$0.lowerBound] }).count == 3)
    }

    @Test("nested calls run serially and complete")
    func nestedCalls() {
        let pool = ThreadPool(threadCount: 2)
        let counts = Counts(4 * 10)
        pool.parallelFor(4) { i in
            pool.parallelFor(10) { j in counts.values[i * 10 + j] += 1 }
        }
        #expect(counts.all == [Int](repeating: 1, count: 40))
    }

    @Test("threadCount can change between calls")
    func threadCountChanges() {
        let pool = ThreadPool(threadCount: 2)
        for threads in [2, 1, 4, 3, 1, 2, 0] {
            pool.threadCount = threads
            #expect(pool.threadCount == max(1, threads))
            let counts = Counts(257)
            pool.parallelFor(257) { i in counts.values[i] += 1 }
            #expect(counts.all == [Int](repeating: 1, count: 257), "threads \(threads)")
        }
    }

    @Test("calls from several threads at once are all completed")
    func concurrentCallers() {
        let pool = ThreadPool(threadCount: 2)
        let callers = 4, count = 500
        let counts = Counts(callers * count)
        let threads = (0..<callers).map { c in
            spawn {
                for _ in 0..<50 {
                    pool.parallelFor(count) { i in counts.values[c * count + i] += 1 }
                }
            }
        }
        for thread in threads { pthread_join(thread, nil) }
        #expect(counts.all == [Int](repeating: 50, count: callers * count))
    }

    @Test("workers park and wake up correctly")
    func parkAndWake() {
        let pool = ThreadPool(threadCount: 2)
        let counts = Counts(2)
        for round in 0..<2_000 {
            if round % 400 == 0 { usleep(5_000) }  // longer than the spin: workers park
            pool.parallelFor(2) { i in counts.values[i] += 1 }
        }
        #expect(counts.all == [2_000, 2_000])
    }

    @Test("parallelChunks covers 0..<total with at most threadCount chunks of >= minChunk")
    func chunks() {
        for threads in [1, 2, 3] {
            let pool = ThreadPool(threadCount: threads)
            for (total, minChunk) in [(0, 4), (1, 4), (7, 4), (8, 4), (9, 4), (100, 1), (1000, 300),
                                      (5, 0)] {
                let ranges = Mutex<[Range<Int>]>([])
                pool.parallelChunks(total: total, minChunk: minChunk) { r in
                    ranges.withLock { $0.append(r) }
                }
                let sorted = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
                if total == 0 {
                    #expect(sorted.isEmpty)
                    continue
                }
                #expect(sorted.first?.lowerBound == 0 && sorted.last?.upperBound == total)
                for (x, y) in zip(sorted, sorted.dropFirst()) { #expect(x.upperBound == y.lowerBound) }
                #expect(sorted.count <= threads)
                if sorted.count > 1 { #expect(sorted.allSatisfy { $0.count >= minChunk }) }
                if total < 2 * minChunk { #expect(sorted.count == 1) }
            }
        }
    }

    @Test("the default thread count is at least 1")
    func defaultThreadCount() {
        #expect(ThreadPool.defaultThreadCount() >= 1)
        #expect(ThreadPool.shared.threadCount >= 1)
    }
}

/// Starts a pthread running `body` (joinable).
private func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(&thread, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, context)
    return thread
}
