import Testing
@testable import Graft
@testable import GraftData

@Suite struct BatchingTests {
    func reason(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "accepted" } catch { return "\(error)" }
    }

    /// Whether `batches` hold every index of 0..<count exactly once.
    func coversOnce(_ batches: [[Int]], _ count: Int) -> Bool {
        batches.flatMap { $0 }.sorted() == Array(0..<count)
    }

    @Test func sequentialBatches() {
        let s = EpochSampler(count: 10, batchSize: 4, shuffle: false)
        #expect(s.batches(epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] && s.batchCount == 3)
        #expect(s.batches(epoch: 5) == s.batches(epoch: 0))
        let dropped = EpochSampler(count: 10, batchSize: 4, shuffle: false, dropLast: true)
        #expect(dropped.batches(epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7]] && dropped.batchCount == 2)
        #expect(EpochSampler(count: 0, batchSize: 3).batches(epoch: 0) == [])
        #expect(EpochSampler(count: 2, batchSize: 3, dropLast: true).batches(epoch: 0) == [])
    }

    @Test func shuffledEpochsDependOnlyOnSeedAndEpoch() {
        let s = EpochSampler(count: 103, batchSize: 10, shuffle: true, seed: 42)
        let epoch0 = s.batches(epoch: 0), epoch1 = s.batches(epoch: 1)
        #expect(coversOnce(epoch0, 103) && coversOnce(epoch1, 103))
        #expect(epoch0.map(\.count) == Array(repeating: 10, count: 10) + [3])
        #expect(epoch0 != epoch1)
        #expect(epoch0.flatMap { $0 } != Array(0..<103))
        // A resumed run (a new sampler, asking for epoch 1 first) sees the same batches.
        let resumed = EpochSampler(count: 103, batchSize: 10, shuffle: true, seed: 42)
        #expect(resumed.batches(epoch: 1) == epoch1 && resumed.batches(epoch: 0) == epoch0)
        #expect(EpochSampler(count: 103, batchSize: 10, shuffle: true, seed: 43).batches(epoch: 0) != epoch0)
        // The order is pinned: a change of generator or mixing shows up here.
        #expect(SeededShuffle.permutation(8, seed: 42, epoch: 0) == SeededShuffle.generator(seed: 42, epoch: 0).permutation(8))
        #expect(SeededShuffle.permutation(8, seed: 42, epoch: 0) == [4, 6, 0, 7, 3, 5, 1, 2])
        // With dropLast the left-out examples change from epoch to epoch.
        let d = EpochSampler(count: 10, batchSize: 3, shuffle: true, dropLast: true, seed: 1)
        let seen = Set((0..<20).flatMap { d.batches(epoch: $0).flatMap { $0 } })
        #expect(d.batches(epoch: 0).count == 3 && seen == Set(0..<10))
    }

    @Test func seededShuffleOfArbitraryElements() {
        var a = Array("abcdefghij")
        SeededShuffle.shuffle(&a, using: SeededShuffle.generator(seed: 3, epoch: 2))
        #expect(a.sorted() == Array("abcdefghij") && a != Array("abcdefghij"))
        var b = Array("abcdefghij")
        SeededShuffle.shuffle(&b, using: SeededShuffle.generator(seed: 3, epoch: 2))
        #expect(a == b)
        var one = [7]
        SeededShuffle.shuffle(&one, using: SeededShuffle.generator(seed: 0, epoch: 0))
        #expect(one == [7])
    }

    @Test func lengthBucketsGroupSimilarLengths() {
        var rng = TestRandom(state: 9)
        let lengths = (0..<1000).map { _ in 1 + Int(rng.next() % 100) }
        let s = LengthBucketSampler(lengths: lengths, batchSize: 16, batchesPerBucket: 10, seed: 5)
        let batches = s.batches(epoch: 0)
        #expect(coversOnce(batches, 1000) && batches.count == s.batchCount)
        // Only the last batch of each bucket (6 full buckets of 160 and one of 40) can be short.
        #expect(batches.filter { $0.count < 16 }.count <= 7 && s.batchCount == 6 * 10 + 3)
        // Padding waste: bucketed batches are far tighter than random ones.
        func spread(_ bs: [[Int]]) -> Int { bs.map { b in b.map { lengths[$0] }.max()! - b.map { lengths[$0] }.min()! }.reduce(0, +) }
        let random = EpochSampler(count: 1000, batchSize: 16, seed: 5).batches(epoch: 0)
        #expect(spread(batches) * 4 < spread(random))
        // Deterministic per epoch, different across epochs, shuffled batch order.
        #expect(LengthBucketSampler(lengths: lengths, batchSize: 16, batchesPerBucket: 10, seed: 5).batches(epoch: 0) == batches)
        #expect(s.batches(epoch: 1) != batches && coversOnce(s.batches(epoch: 1), 1000))
        let firstLengths = batches.map { lengths[$0[0]] }
        #expect(firstLengths != firstLengths.sorted())
    }

    @Test func lengthBucketsWithoutShuffle() {
        let lengths = [5, 1, 4, 1, 3, 9, 2, 2]
        let s = LengthBucketSampler(lengths: lengths, batchSize: 2, batchesPerBucket: 2, shuffle: false)
        // Buckets of 4 in index order, sorted by length, ties by index.
        #expect(s.batches(epoch: 0) == [[1, 3], [2, 0], [6, 7], [4, 5]])
        #expect(s.batches(epoch: 3) == s.batches(epoch: 0))
        let one = LengthBucketSampler(lengths: lengths, batchSize: 3, batchesPerBucket: 1000, shuffle: false)
        #expect(one.batches(epoch: 0) == [[1, 3, 6], [7, 4, 2], [0, 5]] && one.batchCount == 3)
        #expect(LengthBucketSampler(lengths: [], batchSize: 4).batches(epoch: 0) == [])
        #expect(LengthBucketSampler(lengths: [3], batchSize: 4, batchesPerBucket: Int.max).batches(epoch: 0) == [[0]])
    }

    @Test func gathersRows() throws {
        let x = Tensor((0..<12).map(Float.init), shape: [4, 3])
        let picked = try x.rows([3, 0, 3])
        #expect(picked.shape == [3, 3] && picked.scalars == [9, 10, 11, 0, 1, 2, 9, 10, 11])
        #expect(try x.rows([]).shape == [0, 3])
        #expect(try Tensor([7, 8, 9]).rows([2, 1]).scalars == [9, 8])
        #expect(reason { try x.rows([1, 4]) } == "<tensor>: row index 4 at position 1 is outside 0..<4")
        #expect(reason { try x.rows([-1]) }.contains("row index -1 at position 0"))
        #expect(reason { try Tensor(Float(1)).rows([0]) }.contains("at least one axis"))
    }
}
