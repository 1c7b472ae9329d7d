/// Batches of `batchSize` indices of 0..<count, in order or shuffled per epoch: epoch e's
/// order depends only on `seed` and e (`SeededShuffle`).
public struct EpochSampler: BatchSampler, Equatable {
    /// The number of examples.
    public let count: Int
    /// The number of indices per batch.
    public let batchSize: Int
    /// Whether each epoch visits the examples in a fresh random order.
    public let shuffle: Bool
    /// Whether a last batch smaller than `batchSize` is left out.
    public let dropLast: Bool
    /// The seed of the shuffles.
    public let seed: UInt64

    /// A sampler over `count` examples.
    public init(count: Int, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0) {
        precondition(count >= 0, "EpochSampler needs a non-negative count, got \(count)")
        precondition(batchSize > 0, "EpochSampler needs a positive batch size, got \(batchSize)")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    /// The number of batches in every epoch.
    public var batchCount: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The index batches of epoch `epoch`.
    public func batches(epoch: Int) -> [[Int]] {
        let order = shuffle ? SeededShuffle.permutation(count, seed: seed, epoch: epoch) : Array(0..<count)
        return (0..<batchCount).map { b in Array(order[b * batchSize..<min((b + 1) * batchSize, count)]) }
    }
}
