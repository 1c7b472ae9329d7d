#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Internal to the backend (ops call `Backend`; nothing outside Graft uses it). Elsewhere use
/// `ComputeThreads`.
///
/// A persistent pool of worker threads for data-parallel kernels.
///
/// The caller runs block 0 of every job itself; workers 1..<threadCount get theirs through a
/// per-worker mailbox. After a job a worker spins (about 20 us of atomic loads, then up to 2 ms
/// polling with `sched_yield`, which lets other runnable threads have the core) and then parks
/// on a condition variable, so an idle pool costs nothing. Measured on the 2-vCPU development
/// VM: 0.8-0.9 us per `parallelFor(2)` back to back (a bare cache-line ping-pong between the
/// two cores costs 0.25-0.33 us), 1.2-2 us after pauses of up to 1 ms, 30-80 us to wake a
/// parked worker. Kernels should go parallel only above ~20-50 us of work.
///
/// Work is split statically: for a fixed `threadCount` every index always runs on the same
/// thread with the same neighbours, so results that depend on the split are bitwise
/// reproducible.
///
/// Only one `parallelFor` runs on a pool at a time. A call made while another is running (a
/// nested call from inside a body, or a call from a second thread) runs serially on its caller,
/// which is always correct and never deadlocks.
///
/// Pools live for the whole process (their workers keep them alive): use `shared`, or a few
/// long-lived pools of your own.
final class ThreadPool: @unchecked Sendable {
    /// The process-wide pool used by every kernel.
    static let shared = ThreadPool(threadCount: ThreadPool.defaultThreadCount())

    /// Number of threads kernels may use (1 = run everything on the caller). Default: the
    /// `GRAFT_THREADS` environment variable if set, else the number of active processors.
    /// Settable at any time from the main thread (between kernel calls).
    /// A thread's `withThreadCount` override takes precedence over the pool's setting.
    var threadCount: Int {
        get {
            if let p = pthread_getspecific(ThreadPool.overrideKey) { return Int(bitPattern: p) }
            return configuredThreads.load(ordering: .relaxed)
        }
        set { configuredThreads.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Per-thread thread-count overrides (the count stored as the pointer's bits; none = unset).
    static let overrideKey: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// Runs `body` with kernels called from this thread using `count` threads, without
    /// changing what other threads use (tests and evaluation loops that need a fixed count).
    func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let saved = pthread_getspecific(ThreadPool.overrideKey)
        pthread_setspecific(ThreadPool.overrideKey, UnsafeRawPointer(bitPattern: max(1, count)))
        defer { pthread_setspecific(ThreadPool.overrideKey, saved) }
        return try body()
    }

    /// True while a `parallelFor` of this pool is running (on any thread).
    var isRunning: Bool { busy.load(ordering: .relaxed) }

    /// The thread count from `GRAFT_THREADS`, else the number of active processors.
    static func defaultThreadCount() -> Int {
        if let text = getenv("GRAFT_THREADS").map({ String(cString: $0) }),
           let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 1 {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// One worker's mailbox, on cache lines of its own: the caller writes the job and the
    /// ticket (one line), the worker writes `done` (another line), and a worker that takes no
    /// part in a job never reads it.
    private final class Slot: @unchecked Sendable {
        private var padBefore: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        /// Sequence number of the last job posted to this worker.
        let ticket = Atomic<Int>(0)
        /// True while the worker is (about to be) blocked on `cond`.
        let sleeping = Atomic<Bool>(false)
        /// The job: indices lower..<upper of `body`. Written before `ticket` (release), read
        /// after it (acquire).
        var body: Unmanaged<Body>?
        var lower = 0
        var upper = 0
        private var padMiddle: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        /// Sequence number of the last job this worker finished.
        let done = Atomic<Int>(0)
        private var padAfter: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        let cond: UnsafeMutablePointer<pthread_cond_t>

        init() {
            mutex = .allocate(capacity: 1)
            cond = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(cond, nil)
            _ = (padBefore, padMiddle, padAfter)
        }
    }

    /// The body of a running `parallelFor`, escaped only until that call returns.
    private final class Body: @unchecked Sendable {
        let run: (Int) -> Void
        init(_ run: @escaping (Int) -> Void) { self.run = run }
    }

    private let configuredThreads: Atomic<Int>
    /// True while a `parallelFor` owns the workers.
    private let busy = Atomic<Bool>(false)
    private let jobNumber = Atomic<Int>(0)
    /// Worker mailboxes; grows (under `busy`) when more threads are asked for, never shrinks.
    nonisolated(unsafe) private var slots: [Slot] = []

    /// Iterations of the tight spin (atomic loads) a waiting worker makes first (about 20 us).
    private static let tightSpins = 50_000
    /// How long a waiting worker then keeps polling with sched_yield before it parks. Waking a
    /// parked worker costs 30-80 us on a VM, so this covers the gaps between kernels of a
    /// training step; a pool idle for longer costs nothing.
    private static let yieldingSpinSeconds = 0.002

    static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// A pool that runs kernels on `threadCount` threads (the caller and `threadCount - 1`
    /// workers, which are started on first use).
    init(threadCount: Int) {
        configuredThreads = Atomic(max(1, threadCount))
    }

    /// Runs `body(i)` for every i in 0..<count, with a static assignment of indices to threads
    /// (thread t of T = min(threadCount, count) runs the contiguous block
    /// `t * count / T ..< (t + 1) * count / T`), so results are bitwise reproducible for a fixed
    /// thread count. The caller runs block 0. Nested calls (from inside a body), calls made while
    /// another call runs, and calls when threadCount == 1 or count == 1 run serially on the
    /// calling thread. `body` must be safe to run concurrently for different i.
    func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        let threads = min(threadCount, count)
        if threads <= 1 || !busy.compareExchange(expected: false, desired: true,
                                                  ordering: .acquiring).exchanged {
            for i in 0..<count { body(i) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { escaped in
            run(count: count, threads: threads, body: escaped)
        }
    }

    /// Splits 0..<total into at most `threadCount` contiguous ranges of at least `minChunk`
    /// elements and runs `body` on each (serially, as one range, when total < 2 * minChunk).
    /// The split depends only on total, minChunk and threadCount. Elementwise kernels call this:
    /// `pool.parallelChunks(total: n, minChunk: 32_768) { r in for i in r { ... } }`.
    func parallelChunks(total: Int, minChunk: Int, _ body: (Range<Int>) -> Void) {
        if total <= 0 { return }
        let chunks = min(threadCount, total / max(1, minChunk))
        if chunks <= 1 {
            body(0..<total)
            return
        }
        parallelFor(chunks) { t in
            body((t * total / chunks)..<((t + 1) * total / chunks))
        }
    }

    /// Posts the job to workers 1..<threads, runs block 0 here, and waits for the others.
    private func run(count: Int, threads: Int, body: @escaping (Int) -> Void) {
        ensureWorkers(threads - 1)
        let box = Body(body)
        let number = jobNumber.add(1, ordering: .relaxed).newValue
        for t in 1..<threads {
            let slot = slots[t - 1]
            slot.body = Unmanaged.passUnretained(box)
            slot.lower = t * count / threads
            slot.upper = (t + 1) * count / threads
            // Sequentially consistent pair with the worker's `sleeping` store / `ticket` load:
            // either we see it asleep and signal, or it sees the new ticket before it blocks.
            slot.ticket.store(number, ordering: .sequentiallyConsistent)
            if slot.sleeping.load(ordering: .sequentiallyConsistent) {
                pthread_mutex_lock(slot.mutex)
                pthread_cond_signal(slot.cond)
                pthread_mutex_unlock(slot.mutex)
            }
        }
        for i in 0..<(count / threads) { body(i) }
        for t in 1..<threads {
            let slot = slots[t - 1]
            var spins = 0
            while slot.done.load(ordering: .acquiring) != number {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            slot.body = nil
        }
        withExtendedLifetime(box) {}
    }

    /// Starts workers until there are at least `needed`. Called only by the owner of `busy`.
    private func ensureWorkers(_ needed: Int) {
        while slots.count < needed {
            let slot = Slot()
            let index = slots.count + 1
            slots.append(slot)
            let context = Unmanaged.passRetained(WorkerContext(pool: self, slot: slot, index: index))
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(slot: context.slot, index: context.index)
                return nil
            }, context.toOpaque())
            precondition(rc == 0, "ThreadPool: pthread_create failed (\(rc))")
            pthread_detach(thread)
        }
    }

    private final class WorkerContext {
        let pool: ThreadPool
        let slot: Slot
        let index: Int
        init(pool: ThreadPool, slot: Slot, index: Int) {
            self.pool = pool
            self.slot = slot
            self.index = index
        }
    }

    /// Waits for tickets forever: spin, then park; run this worker's block; report completion.
    private func workerLoop(slot: Slot, index: Int) {
        var seen = 0
        while true {
            var ticket = slot.ticket.load(ordering: .acquiring)
            var spins = 0
            var spinStart = 0.0
            while ticket == seen {
                // Tight spin first, then spin with sched_yield (so that other runnable threads
                // on this core, e.g. OpenBLAS's, get it), then park.
                spins += 1
                if spins < ThreadPool.tightSpins {
                    ticket = slot.ticket.load(ordering: .acquiring)
                    continue
                }
                if spins == ThreadPool.tightSpins { spinStart = ThreadPool.monotonicSeconds() }
                if ThreadPool.monotonicSeconds() - spinStart < ThreadPool.yieldingSpinSeconds {
                    sched_yield()
                    ticket = slot.ticket.load(ordering: .acquiring)
                    continue
                }
                pthread_mutex_lock(slot.mutex)
                slot.sleeping.store(true, ordering: .sequentiallyConsistent)
                ticket = slot.ticket.load(ordering: .sequentiallyConsistent)
                while ticket == seen {
                    pthread_cond_wait(slot.cond, slot.mutex)
                    ticket = slot.ticket.load(ordering: .acquiring)
                }
                slot.sleeping.store(false, ordering: .relaxed)
                pthread_mutex_unlock(slot.mutex)
            }
            seen = ticket
            if let body = slot.body {
                let lower = slot.lower, upper = slot.upper
                body._withUnsafeGuaranteedRef { body in
                    for i in lower..<upper { body.run(i) }
                }
            }
            slot.done.store(ticket, ordering: .releasing)
        }
    }
}
