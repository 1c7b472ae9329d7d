import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct NearestNeighboursTests {
    @Test func smallKnownCase() throws {
        let refs = Tensor([0, 0, 3, 4, 1, 0, 10, 10], shape: [4, 2])
        let q = Tensor([0, 0, 2.9, 4], shape: [2, 2])
        let r = try NearestNeighbours.search(queries: q, references: refs, k: 2)
        #expect(r.indices == [[0, 2], [1, 2]])
        #expect(r.distances[0] == [0, 1])
        #expect(abs(r.distances[1][0] - 0.1) < 1e-6)
    }

    @Test func matchesBruteForceAcrossBlocks() throws {
        // More queries than one row block (1024) and references than one column block (4096).
        let rng = RandomGenerator(seed: 4)
        let (n, m, d) = (1100, 4200, 3)
        let refs = Tensor((0..<(m * d)).map { _ in rng.nextNormal() * 10 + 100 }, shape: [m, d])
        let q = Tensor((0..<(n * d)).map { _ in rng.nextNormal() * 10 + 100 }, shape: [n, d])
        let r = try NearestNeighbours.search(queries: q, references: refs, k: 3)
        let a = q.scalars, b = refs.scalars
        for i in stride(from: 0, to: n, by: 37) {
            var all = [(Double, Int)]()
            for j in 0..<m {
                var s = 0.0
                for c in 0..<d { let t = Double(a[i * d + c]) - Double(b[j * d + c]); s += t * t }
                all.append((s, j))
            }
            all.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            #expect(r.indices[i] == all.prefix(3).map(\.1), "query \(i)")
            #expect(zip(r.distances[i], all.prefix(3)).allSatisfy { abs($0 - $1.0.squareRoot()) < 1e-12 })
        }
    }

    @Test func refusesBadK() {
        let a = Tensor([0, 1], shape: [2, 1])
        #expect(thrownText { try NearestNeighbours.search(queries: a, references: a, k: 3) } == "k must be between 1 and the 2 reference rows, got 3")
    }
}
