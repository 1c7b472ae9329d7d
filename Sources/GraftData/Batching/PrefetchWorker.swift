import Foundation
import Synchronization

/// A value moved between threads although its type is not `Sendable`.
///
/// Safe where it is used because of how the value is handed over, not because the type is
/// thread-safe: see `PrefetchWorker`.
struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The value.
    let value: Value
}

/// What a `DataLoader` shares with all of its iterators and their worker threads.
final class DataLoaderShared: Sendable {
    /// Held while the batch builder runs, so that it never runs on two threads at once, even
    /// when two iterators of one loader are alive together.
    private let builderLock = NSLock()
    /// The number of worker threads that have started and not yet finished.
    let liveWorkers = Atomic<Int>(0)

    /// `build(indices)` with the builder lock held, its error caught.
    func build<Batch>(_ build: ([Int]) throws -> Batch, _ indices: [Int]) -> Result<Batch, any Error> {
        builderLock.lock()
        defer { builderLock.unlock() }
        return Result { try build(indices) }
    }
}

/// A background thread that builds the batches of one epoch in order, at most `depth` ahead
/// of the consumer, and hands them over through a queue guarded by a condition variable.
///
/// Why the `@unchecked Sendable` is safe:
/// - Every mutable property (`ready`, `cancelled`, `finished`) is read and written only with
///   `condition` locked.
/// - A batch is created by the worker, appended to `ready` under the lock and never touched by
///   the worker again; the consumer removes it under the lock and from then on is its only
///   owner. So a batch, although its type need not be `Sendable`, is never used by two threads
///   at once. Batches left in the queue when the iterator stops are released under the lock.
/// - The builder closure runs only on the worker thread while the iterator is alive (`cancel`
///   waits for the thread to finish), and only while holding the loader's `builderLock`, so it
///   never runs concurrently with itself. What it captures must not be mutated by the consumer
///   while the iterator is alive; that is the documented contract of `DataLoader`.
final class PrefetchWorker<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Batches built and not yet taken, oldest first; a failure is always the last entry.
    private var ready: [Result<Batch, any Error>] = []
    /// Set by the consumer: the worker stops at its next check.
    private var cancelled = false
    /// Set by the worker when it has returned from its last builder call.
    private var finished = false
    private let depth: Int

    /// Starts a worker that builds `build(batches[i])` for i in order.
    init(batches: [[Int]], depth: Int, build: UncheckedSendable<([Int]) throws -> Batch>, shared: DataLoaderShared) {
        precondition(depth > 0, "PrefetchWorker needs a positive depth")
        self.depth = depth
        shared.liveWorkers.add(1, ordering: .relaxed)
        let thread = Thread { [self] in
            run(batches: batches, build: build.value, shared: shared)
        }
        thread.name = "graft.DataLoader"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The worker's loop: wait for room, build the next batch, queue it; stop after a failure,
    /// when every batch is built, or when cancelled.
    private func run(batches: [[Int]], build: ([Int]) throws -> Batch, shared: DataLoaderShared) {
        for indices in batches {
            condition.lock()
            while ready.count >= depth && !cancelled { condition.wait() }
            let stop = cancelled
            condition.unlock()
            if stop { break }
            let result = shared.build(build, indices)
            condition.lock()
            if cancelled { condition.unlock(); break }
            ready.append(result)
            condition.broadcast()
            condition.unlock()
            if case .failure = result { break }
        }
        shared.liveWorkers.subtract(1, ordering: .relaxed)
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch or failure, waiting for the worker if needed; nil once the worker has
    /// finished and everything it built has been taken.
    func take() -> Result<Batch, any Error>? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if ready.isEmpty { return nil }
        let next = ready.removeFirst()
        condition.broadcast()
        return next
    }

    /// Stops the worker and waits until it has left the builder (at most the time of the batch
    /// being built), then drops the batches it queued. Safe to call more than once.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        ready.removeAll()
        condition.unlock()
    }
}
