import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct KMeansTests {
    /// Three well-separated Gaussian blobs in 2-D, 15 points each, with their labels.
    func blobs(seed: UInt64) -> (points: [[Double]], labels: [Int]) {
        let g = RandomGenerator(seed: seed)
        let centres: [[Double]] = [[0, 0], [10, 0], [0, 10]]
        var points: [[Double]] = [], labels: [Int] = []
        for i in 0..<45 {
            let c = i % 3
            points.append(centres[c].map { $0 + 0.5 * Double(g.nextNormal()) })
            labels.append(c)
        }
        return (points, labels)
    }

    @Test func recoversPlantedClusters() throws {
        let (points, labels) = blobs(seed: 1)
        let result = try KMeans(k: 3, seed: 7).fit(points)
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.assignments, labels: labels) == 1)
        #expect(result.centroids.count == 3)
        // Each centroid is the mean of its points, and the inertia their squared distances.
        var inertia = 0.0
        for c in 0..<3 {
            let members = points.indices.filter { result.assignments[$0] == c }
            let mean = (0..<2).map { j in members.reduce(0.0) { $0 + points[$1][j] } / Double(members.count) }
            #expect(abs(mean[0] - result.centroids[c][0]) < 1e-9 && abs(mean[1] - result.centroids[c][1]) < 1e-9)
            inertia += members.reduce(0.0) { $0 + KMeans.squaredDistance(points[$1][...], result.centroids[c]) }
        }
        #expect(abs(inertia - result.inertia) < 1e-9)
        #expect(result.predict(result.centroids) == [0, 1, 2])
        // The tensor form gives the same clustering.
        let x = Tensor(points.flatMap { $0.map(Float.init) }, shape: [45, 2])
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: try KMeans(k: 3, seed: 7).fit(x).assignments, labels: labels) == 1)
    }

    @Test func sameSeedSameResult() throws {
        let (points, _) = blobs(seed: 2)
        let a = try KMeans(k: 4, seed: 3, restarts: 3).fit(points), b = try KMeans(k: 4, seed: 3, restarts: 3).fit(points)
        #expect(a.assignments == b.assignments && a.inertia == b.inertia)
        // More restarts never end worse than the first of them.
        let one = try KMeans(k: 4, seed: 3, restarts: 1).fit(points)
        #expect(a.inertia <= one.inertia)
    }

    @Test func refusesUnusableData() {
        #expect(throws: TransferError.self) { try KMeans(k: 3, seed: 1).fit([[0, 1], [2, 3]]) }
        #expect(throws: TransferError.self) { try KMeans(k: 1, seed: 1).fit([[0, 1], [2]]) }
        #expect(throws: TransferError.self) { try KMeans(k: 1, seed: 1).fit([[0, .nan]]) }
        #expect(throws: TransferError.self) { try KMeans(k: 1, seed: 1).fit(Tensor([1, 2, 3])) }
    }
}
