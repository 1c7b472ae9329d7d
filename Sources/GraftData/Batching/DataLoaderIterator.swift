/// The batches of one epoch of a `DataLoader`, in order.
///
/// Use `nextBatch()`, which throws the builder's error at the batch that failed:
/// `while let batch = try it.nextBatch() { ... }`, or a `for` loop over `Result`s:
/// `for batch in it { let b = try batch.get() }`. After a failure the iterator ends. Leaving a
/// loop early is fine: releasing the iterator (or calling `close()`) stops its worker thread.
public final class DataLoaderIterator<Batch>: IteratorProtocol, Sequence {
    /// The index batches still to come when the iterator was made, in order.
    public let indexBatches: [[Int]]
    /// The epoch-wide number of the first batch in `indexBatches` (the `startingAt` value).
    public let firstBatch: Int
    /// How many batches (or the failure) have been handed out.
    public private(set) var delivered = 0
    private let build: ([Int]) throws -> Batch
    private let shared: DataLoaderShared
    /// The background builder, or nil when building on demand (prefetch 0).
    private let worker: PrefetchWorker<Batch>?
    /// Set after the last batch, a failure or `close()`.
    private var done = false

    init(batches: [[Int]], firstBatch: Int, loader: DataLoader<Batch>) {
        indexBatches = batches
        self.firstBatch = firstBatch
        build = loader.build
        shared = loader.shared
        worker = loader.prefetch > 0 && !batches.isEmpty
            ? PrefetchWorker(batches: batches, depth: loader.prefetch, build: UncheckedSendable(value: loader.build), shared: loader.shared)
            : nil
    }

    deinit { worker?.cancel() }

    /// The epoch-wide number of the batch `nextBatch()` returns next.
    public var nextBatchNumber: Int { firstBatch + delivered }

    /// The next batch, nil after the last one; throws the builder's error for the batch whose
    /// building failed (after which the iterator ends).
    public func nextBatch() throws -> Batch? {
        guard let result = next() else { return nil }
        return try result.get()
    }

    /// The next batch or the builder's failure for it; nil at the end.
    public func next() -> Result<Batch, any Error>? {
        if done { return nil }
        let result: Result<Batch, any Error>?
        if let worker {
            result = worker.take()
        } else if delivered < indexBatches.count {
            let indices = indexBatches[delivered]
            result = shared.build(build, indices)
        } else {
            result = nil
        }
        guard let result else { close(); return nil }
        delivered += 1
        if case .failure = result { close() }
        return result
    }

    /// Ends the iteration now: stops the worker thread (waiting at most for the batch it is
    /// building) and drops batches built ahead. Called automatically on release.
    public func close() {
        if done { return }
        done = true
        worker?.cancel()
    }
}
