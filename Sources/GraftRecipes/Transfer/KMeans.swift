import Graft

/// The result of a k-means fit.
public struct KMeansResult: Sendable {
    /// The k centroids, each a row of `dimension` values.
    public let centroids: [[Double]]
    /// The index of each point's centroid.
    public let assignments: [Int]
    /// The sum of squared distances of the points to their centroids (the objective).
    public let inertia: Double
    /// The Lloyd iterations the best restart ran.
    public let iterations: Int

    /// The index of the nearest centroid for each of `points` (ties to the lower index).
    public func predict(_ points: [[Double]]) -> [Int] {
        points.map { p in KMeans.nearest(p[...], centroids).index }
    }
}

/// k-means clustering: k-means++ seeding (Arthur and Vassilvitskii 2007: each new centre drawn
/// with probability proportional to D(x)², the squared distance to the nearest centre so far),
/// then Lloyd's iterations (assign each point to its nearest centroid, move each centroid to the
/// mean of its points) until no assignment changes or the centroids move less than `tolerance`;
/// the best of `restarts` runs by inertia is kept. An emptied cluster is re-seeded at the point
/// farthest from its centroid. The same seed gives the same result.
public struct KMeans: Sendable {
    /// The number of clusters.
    public let k: Int
    /// The seed of the initialisations.
    public let seed: UInt64
    /// How many seeded runs to try.
    public let restarts: Int
    /// The most Lloyd iterations per run.
    public let maxIterations: Int
    /// Stop when the total squared centroid movement falls below this.
    public let tolerance: Double

    /// A k-means clusterer.
    public init(k: Int, seed: UInt64, restarts: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-10) {
        precondition(k > 0 && restarts > 0 && maxIterations > 0, "KMeans needs k, restarts and maxIterations positive")
        self.k = k
        self.seed = seed
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Clusters the rows of `points` (all of one length, at least k of them, finite).
    public func fit(_ points: [[Double]]) throws -> KMeansResult {
        guard points.count >= k else {
            throw TransferError.invalidData(what: "k-means data", reason: "expected at least k = \(k) points, got \(points.count)")
        }
        let d = points[0].count
        if let bad = points.firstIndex(where: { $0.count != d }) {
            throw TransferError.invalidData(what: "k-means point \(bad)", reason: "expected \(d) values, got \(points[bad].count)")
        }
        if let bad = points.firstIndex(where: { $0.contains { !$0.isFinite } }) {
            throw TransferError.invalidData(what: "k-means point \(bad)", reason: "expected finite values")
        }
        let generator = RandomGenerator(seed: seed)
        var best: KMeansResult?
        for _ in 0..<restarts {
            let run = lloyd(points, initial: plusPlus(points, generator))
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        return best!
    }

    /// Clusters the rows of a [N, D] tensor.
    public func fit(_ x: Tensor) throws -> KMeansResult {
        guard x.rank == 2 else { throw TransferError.invalidData(what: "k-means data", reason: "expected a [N, D] tensor, got shape \(x.shape)") }
        let s = x.scalars.map(Double.init), d = x.shape[1]
        return try fit((0..<x.shape[0]).map { Array(s[($0 * d)..<(($0 + 1) * d)]) })
    }

    /// k-means++ seeding.
    func plusPlus(_ points: [[Double]], _ generator: RandomGenerator) -> [[Double]] {
        var centres = [points[generator.nextInt(below: points.count)]]
        var d2 = points.map { Self.squaredDistance($0[...], centres[0]) }
        while centres.count < k {
            let total = d2.reduce(0, +)
            var pick = 0
            if total > 0 {
                // Draw in Double from 53 random bits; walk the cumulative sum.
                var r = Double(generator.next() >> 11) * 0x1p-53 * total
                pick = points.count - 1
                for (i, w) in d2.enumerated() {
                    if r < w { pick = i; break }
                    r -= w
                }
            } else {
                pick = generator.nextInt(below: points.count)
            }
            centres.append(points[pick])
            for i in points.indices { d2[i] = Swift.min(d2[i], Self.squaredDistance(points[i][...], points[pick])) }
        }
        return centres
    }

    /// Lloyd's iterations from `initial` centroids.
    func lloyd(_ points: [[Double]], initial: [[Double]]) -> KMeansResult {
        let d = points[0].count
        var centroids = initial
        var assignments = [Int](repeating: -1, count: points.count)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            var changed = false
            for (i, p) in points.enumerated() {
                let c = Self.nearest(p[...], centroids).index
                if c != assignments[i] { assignments[i] = c; changed = true }
            }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
            var counts = [Int](repeating: 0, count: k)
            for (i, p) in points.enumerated() {
                counts[assignments[i]] += 1
                for j in 0..<d { sums[assignments[i]][j] += p[j] }
            }
            var moved = 0.0
            for c in 0..<k {
                let next: [Double]
                if counts[c] == 0 {
                    // Re-seed an empty cluster at the point farthest from its centroid.
                    let far = points.indices.max {
                        Self.squaredDistance(points[$0][...], centroids[assignments[$0]])
                            < Self.squaredDistance(points[$1][...], centroids[assignments[$1]])
                    }!
                    next = points[far]
                    changed = true
                } else {
                    next = sums[c].map { $0 / Double(counts[c]) }
                }
                moved += Self.squaredDistance(next[...], centroids[c])
                centroids[c] = next
            }
            if !changed || moved < tolerance { break }
        }
        // Final assignment and inertia against the final centroids.
        var inertia = 0.0
        for (i, p) in points.enumerated() {
            let (c, dist) = Self.nearest(p[...], centroids)
            assignments[i] = c
            inertia += dist
        }
        return KMeansResult(centroids: centroids, assignments: assignments, inertia: inertia, iterations: iterations)
    }

    /// The nearest centroid's index and squared distance (ties to the lower index).
    static func nearest(_ p: ArraySlice<Double>, _ centroids: [[Double]]) -> (index: Int, distance: Double) {
        var best = 0, bestD = Double.infinity
        for (c, centre) in centroids.enumerated() {
            let dist = squaredDistance(p, centre)
            if dist < bestD { best = c; bestD = dist }
        }
        return (best, bestD)
    }

    /// ‖a − b‖².
    static func squaredDistance(_ a: ArraySlice<Double>, _ b: [Double]) -> Double {
        var s = 0.0
        var i = a.startIndex
        for v in b {
            let diff = a[i] - v
            s += diff * diff
            i += 1
        }
        return s
    }
}
