/// Iterates the batches of an epoch: a `BatchSampler` says which indices form each batch and a
/// builder closure turns indices into a batch (tensors, token lists, anything).
///
/// With `prefetch` > 0 the builder runs on a background thread that builds up to `prefetch`
/// batches ahead, so the next batch is being built while the current one is used; with
/// `prefetch` 0 it runs on the consumer's thread when a batch is asked for. Both give the same
/// batches in the same order. A builder error reaches the consumer at the batch that failed,
/// after every earlier batch, and ends the epoch.
///
/// The contract that makes prefetching safe: the builder may run on another thread, so it must
/// not use state that the consumer changes while an iterator is alive (notably not
/// `RandomGenerator.global`: derive a generator from the epoch or the indices instead). Reading
/// tensors the consumer only reads is fine. The builder never runs on two threads at once,
/// even with two iterators of one loader alive; it must not iterate its own loader. It runs
/// with gradient recording of the thread it is on (on the worker: enabled), so build batches
/// from tensors that do not require gradients or wrap the builder in `noGrad`.
///
/// ```swift
/// let loader = DataLoader(sampler: EpochSampler(count: n, batchSize: 32, seed: 7)) { rows in
///     try [images.rows(rows), labels.rows(rows)]
/// }
/// for epoch in 0..<10 {
///     for batch in loader.batches(epoch: epoch) {
///         let b = try batch.get()
///         ...
///     }
/// }
/// ```
public final class DataLoader<Batch> {
    /// Which indices form each batch of an epoch.
    public let sampler: any BatchSampler
    /// How many batches the background thread builds ahead (0: no thread, build on demand).
    public let prefetch: Int
    /// Turns a batch's indices into a batch.
    let build: ([Int]) throws -> Batch
    /// The builder lock and the count of live workers, shared with the iterators.
    let shared = DataLoaderShared()

    /// A loader that builds each batch with `build` from the indices `sampler` gives, up to
    /// `prefetch` batches ahead on a background thread (1 or 2 are typical; 0 for none).
    public init(sampler: any BatchSampler, prefetch: Int = 1, build: @escaping ([Int]) throws -> Batch) {
        precondition(prefetch >= 0, "DataLoader needs a non-negative prefetch depth, got \(prefetch)")
        self.sampler = sampler
        self.prefetch = prefetch
        self.build = build
    }

    /// The number of background threads started by this loader's iterators and not yet
    /// finished; 0 once every iterator has ended, been closed or been released.
    public var liveWorkers: Int { shared.liveWorkers.load(ordering: .relaxed) }

    /// The batches of epoch `epoch`, from batch `start` on (to resume a run part-way through an
    /// epoch: the batches skipped are not built). Iterating stops early when the iterator is
    /// released or closed, which also stops its background thread.
    public func batches(epoch: Int, startingAt start: Int = 0) -> DataLoaderIterator<Batch> {
        let all = sampler.batches(epoch: epoch)
        let first = min(max(0, start), all.count)
        return DataLoaderIterator(batches: Array(all[first...]), firstBatch: first, loader: self)
    }
}
