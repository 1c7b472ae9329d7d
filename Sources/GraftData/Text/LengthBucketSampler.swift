/// Batches of sequences of similar length, so that padded batches waste little: each epoch the
/// indices are shuffled (seeded by `seed` and the epoch), cut into buckets of
/// `batchSize * batchesPerBucket` indices, each bucket is sorted by length (ties keep their
/// shuffled order) and cut into batches, and the order of all batches is shuffled again.
/// Without shuffling, buckets are taken in index order and batches stay in bucket order.
///
/// Every index appears in exactly one batch per epoch; only the last batch of each bucket can
/// be smaller than `batchSize`. Batches of epoch e depend only on the lengths, the settings,
/// `seed` and e.
public struct LengthBucketSampler: BatchSampler, Equatable {
    /// The length of each sequence, by index.
    public let lengths: [Int]
    /// The number of indices per batch.
    public let batchSize: Int
    /// How many batches a bucket holds; larger buckets give more uniform lengths in a batch
    /// and less randomness in which sequences share one.
    public let batchesPerBucket: Int
    /// Whether indices and batches are shuffled each epoch.
    public let shuffle: Bool
    /// The seed of the shuffles.
    public let seed: UInt64

    /// A sampler over `lengths.count` sequences.
    public init(lengths: [Int], batchSize: Int, batchesPerBucket: Int = 50, shuffle: Bool = true, seed: UInt64 = 0) {
        precondition(batchSize > 0, "LengthBucketSampler needs a positive batch size, got \(batchSize)")
        precondition(batchesPerBucket > 0, "LengthBucketSampler needs a positive batchesPerBucket, got \(batchesPerBucket)")
        self.lengths = lengths
        self.batchSize = batchSize
        self.batchesPerBucket = batchesPerBucket
        self.shuffle = shuffle
        self.seed = seed
    }

    /// The number of indices per bucket.
    var bucketSize: Int {
        let (size, overflow) = batchSize.multipliedReportingOverflow(by: batchesPerBucket)
        return overflow ? Int.max : size
    }

    /// The number of batches in every epoch.
    public var batchCount: Int {
        let bucket = bucketSize
        let full = lengths.count / bucket, rest = lengths.count % bucket
        return full * batchesPerBucket + (rest + batchSize - 1) / batchSize
    }

    /// The index batches of epoch `epoch`.
    public func batches(epoch: Int) -> [[Int]] {
        let generator = shuffle ? SeededShuffle.generator(seed: seed, epoch: epoch) : nil
        let order = generator?.permutation(lengths.count) ?? Array(lengths.indices)
        let bucketSize = self.bucketSize
        var batches: [[Int]] = []
        batches.reserveCapacity(batchCount)
        var start = 0
        while start < order.count {
            let end = order.count - start > bucketSize ? start + bucketSize : order.count
            // Sort by length, then by position in the shuffled order: a total, stable order.
            let bucket = (start..<end).sorted { (lengths[order[$0]], $0) < (lengths[order[$1]], $1) }.map { order[$0] }
            var b = 0
            while b < bucket.count {
                batches.append(Array(bucket[b..<min(b + batchSize, bucket.count)]))
                b += batchSize
            }
            start = end
        }
        if let generator { SeededShuffle.shuffle(&batches, using: generator) }
        return batches
    }
}
