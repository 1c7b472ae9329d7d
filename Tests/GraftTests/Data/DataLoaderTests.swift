import Foundation
import Synchronization
import Testing
@testable import Graft
@testable import GraftData

/// What a test's batch builder did, safe to update from the worker thread.
final class BuildLog: Sendable {
    private let calls = Mutex<[[Int]]>([])
    private let running = Atomic<Int>(0)
    private let maxRunning = Atomic<Int>(0)

    /// Records a call for `indices`, keeping it running for `seconds`.
    func enter(_ indices: [Int], sleeping seconds: Double = 0) {
        let now = running.add(1, ordering: .sequentiallyConsistent).newValue
        _ = maxRunning.max(now, ordering: .sequentiallyConsistent)
        calls.withLock { $0.append(indices) }
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
        running.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// Every call's indices, in call order.
    var built: [[Int]] { calls.withLock { $0 } }
    /// The most builder calls that ever ran at once.
    var mostAtOnce: Int { maxRunning.load(ordering: .sequentiallyConsistent) }
}

/// The error a test builder throws.
struct BuildFailure: Error, Equatable {
    let batch: [Int]
}

@Suite struct DataLoaderTests {
    let sampler = EpochSampler(count: 37, batchSize: 5, shuffle: true, seed: 11)

    /// Every batch of an epoch, with `nextBatch()`.
    func collect<B>(_ loader: DataLoader<B>, epoch: Int, from start: Int = 0) throws -> [B] {
        let it = loader.batches(epoch: epoch, startingAt: start)
        var out: [B] = []
        while let b = try it.nextBatch() { out.append(b) }
        return out
    }

    @Test func sameBatchesWithAndWithoutPrefetch() throws {
        let data = Tensor((0..<37 * 2).map(Float.init), shape: [37, 2])
        var results: [[[Float]]] = []
        for prefetch in [0, 1, 2, 5] {
            let loader = DataLoader(sampler: sampler, prefetch: prefetch) { rows in try data.rows(rows).scalars }
            let epoch3 = try collect(loader, epoch: 3)
            #expect(epoch3.count == 8)
            results.append(epoch3)
            // Resuming part-way builds only the remaining batches, the same ones.
            #expect(try collect(loader, epoch: 3, from: 6) == Array(epoch3[6...]))
            #expect(try collect(loader, epoch: 3, from: 99).isEmpty)
            #expect(loader.liveWorkers == 0)
        }
        #expect(results.allSatisfy { $0 == results[0] })
        // Row r of the data holds 2r and 2r+1: the batches are the sampler's rows, in order.
        let expected: [[Float]] = sampler.batches(epoch: 3).map { rows in rows.flatMap { (r: Int) -> [Float] in [Float(2 * r), Float(2 * r + 1)] } }
        #expect(results[0] == expected)
    }

    @Test func tensorLoader() throws {
        let images = Tensor((0..<20 * 3).map(Float.init), shape: [20, 3])
        let labels = Tensor((0..<20).map(Float.init))
        let loader = try DataLoader(tensors: [images, labels], sampler: EpochSampler(count: 20, batchSize: 8, seed: 2), prefetch: 2)
        var seen: [Float] = []
        for batch in loader.batches(epoch: 0) {
            let b = try batch.get()
            #expect(b[0].shape == [b[1].count, 3])
            let rowsOfLabels: [Float] = b[1].scalars.flatMap { (label: Float) -> [Float] in [3 * label, 3 * label + 1, 3 * label + 2] }
            #expect(b[0].scalars == rowsOfLabels)
            seen += b[1].scalars
        }
        #expect(seen.sorted() == (0..<20).map(Float.init))
        func reason(_ f: () throws -> Any) -> String {
            do { _ = try f(); return "accepted" } catch { return "\(error)" }
        }
        #expect(reason { try DataLoader(tensors: [images, Tensor.zeros([19])], sampler: sampler) }
            .contains("tensor 1 of shape [19] does not have the 20 rows of tensor 0"))
    }

    @Test func prefetchOverlapsBuildingWithUse() throws {
        func run(prefetch: Int) throws -> Double {
            let log = BuildLog()
            let loader = DataLoader(sampler: EpochSampler(count: 10, batchSize: 1, shuffle: false), prefetch: prefetch) { rows in
                log.enter(rows, sleeping: 0.02)
                return rows
            }
            let start = Date()
            var got: [[Int]] = []
            for batch in loader.batches(epoch: 0) {
                got.append(try batch.get())
                Thread.sleep(forTimeInterval: 0.02)  // the consumer's work on the batch
            }
            #expect(got == (0..<10).map { [$0] } && log.built == got)
            return Date().timeIntervalSince(start)
        }
        let serial = try run(prefetch: 0)
        let overlapped = try run(prefetch: 1)
        // 10 x (20 ms build + 20 ms use) = 400 ms in turn; about 220 ms overlapped.
        #expect(serial >= 0.4)
        #expect(overlapped < 0.34, "prefetching took \(overlapped) s, serial \(serial) s")
    }

    @Test func builderErrorsArriveAtTheirBatch() throws {
        for prefetch in [0, 1, 2] {
            let log = BuildLog()
            let loader = DataLoader(sampler: EpochSampler(count: 20, batchSize: 2, shuffle: false), prefetch: prefetch) { rows in
                log.enter(rows)
                if rows == [6, 7] { throw BuildFailure(batch: rows) }
                return rows
            }
            let it = loader.batches(epoch: 0)
            var got: [[Int]] = []
            var failure: (any Error)?
            do {
                while let b = try it.nextBatch() { got.append(b) }
            } catch {
                failure = error
            }
            // Batches before the failure arrive, then the error, then the end.
            #expect(got == [[0, 1], [2, 3], [4, 5]])
            #expect(failure as? BuildFailure == BuildFailure(batch: [6, 7]))
            #expect(it.delivered == 4 && it.nextBatchNumber == 4)
            #expect(try it.nextBatch() == nil)
            // Building stopped at the failure.
            #expect(log.built == [[0, 1], [2, 3], [4, 5], [6, 7]])
            #expect(loader.liveWorkers == 0)
        }
        // The Result form delivers the same.
        let loader = DataLoader(sampler: EpochSampler(count: 4, batchSize: 1, shuffle: false), prefetch: 1) { rows in
            if rows == [2] { throw BuildFailure(batch: rows) }
            return rows
        }
        let results = Array(loader.batches(epoch: 0))
        #expect(results.count == 3)
        #expect(try results[1].get() == [1])
        #expect(throws: BuildFailure(batch: [2])) { try results[2].get() }
    }

    @Test func breakingOutEarlyStopsTheWorker() throws {
        for prefetch in [1, 2] {
            let log = BuildLog()
            let loader = DataLoader(sampler: EpochSampler(count: 100, batchSize: 1, shuffle: false), prefetch: prefetch) { rows in
                log.enter(rows, sleeping: 0.02)
                return rows
            }
            let start = Date()
            var taken = 0
            for batch in loader.batches(epoch: 0) {
                _ = try batch.get()
                taken += 1
                if taken == 2 { break }
            }
            let elapsed = Date().timeIntervalSince(start)
            // The loop ends within a build or two, not after 100 x 20 ms; no worker is left.
            #expect(elapsed < 0.5, "breaking out took \(elapsed) s")
            #expect(loader.liveWorkers == 0)
            #expect(log.built.count <= 2 + prefetch + 1)
            // An iterator released without being read, and one closed by hand, stop as well.
            _ = loader.batches(epoch: 1)
            let it = loader.batches(epoch: 2)
            _ = try it.nextBatch()
            it.close()
            #expect(try it.nextBatch() == nil)
            #expect(loader.liveWorkers == 0)
        }
    }

    @Test func builderNeverRunsTwiceAtOnce() throws {
        let log = BuildLog()
        let loader = DataLoader(sampler: EpochSampler(count: 12, batchSize: 2, seed: 4), prefetch: 2) { rows in
            log.enter(rows, sleeping: 0.002)
            return rows
        }
        // Two epochs iterated in lockstep: two workers, one builder at a time.
        let a = loader.batches(epoch: 0), b = loader.batches(epoch: 1)
        var fromA: [[Int]] = [], fromB: [[Int]] = []
        while true {
            let x = try a.nextBatch(), y = try b.nextBatch()
            if let x { fromA.append(x) }
            if let y { fromB.append(y) }
            if x == nil && y == nil { break }
        }
        #expect(fromA == loader.sampler.batches(epoch: 0) && fromB == loader.sampler.batches(epoch: 1))
        #expect(log.mostAtOnce == 1 && log.built.count == 12)
    }
}
