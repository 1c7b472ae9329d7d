import Foundation
import GraftData
import GraftNN

/// Endless mini-batches of indices: each epoch a fresh permutation of 0..<count by one seeded
/// generator, cut into batches of `batch` (the last one of an epoch may be shorter).
final class DANNIndexStream {
    let sampler: EpochSampler
    var epoch = 0, queue: [[Int]] = []

    /// Batches of `batch` of `count` examples, shuffled by `seed`.
    init(count: Int, batch: Int, seed: UInt64) {
        sampler = EpochSampler(count: count, batchSize: min(batch, count), shuffle: true, dropLast: count >= batch, seed: seed)
    }

    /// The next batch.
    func next() -> [Int] {
        while queue.isEmpty {
            queue = sampler.batches(epoch: epoch).reversed()
            epoch += 1
        }
        return queue.removeLast()
    }
}

extension DANNIndexStream: Resumable {
    /// The saved position: the next epoch and the batches left of the current one.
    struct Position: Codable { let epoch: Int, queue: [[Int]] }

    /// The position as JSON (the sampler's order depends only on its seed and the epoch).
    func resumableState() -> ResumableState {
        Tracked(Position(epoch: epoch, queue: queue)).resumableState()
    }

    /// Continues from the saved position.
    func restore(_ state: ResumableState) throws {
        let position = Tracked(Position(epoch: 0, queue: []))
        try position.restore(state)
        epoch = position.value.epoch
        queue = position.value.queue
    }
}
