import Graft

/// A translation of an image: dx pixels right, dy pixels down.
public struct PixelShift: Sendable, Equatable, Hashable {
    /// Pixels to the right (negative: left).
    public let dx: Int
    /// Pixels down (negative: up).
    public let dy: Int

    /// A shift.
    public init(dx: Int, dy: Int) { self.dx = dx; self.dy = dy }
}

/// Each generated sample's nearest training sample under one distance, and how that compares
/// with held-out data.
public struct NearestTrainingMatches: Sendable, Equatable {
    /// For generated row i, the nearest training row.
    public let indices: [Int]
    /// Its distance (Euclidean, in the inputs' units), exact in Float64.
    public let distances: [Double]
    /// The shift of the generated image that reaches that distance (0, 0 for plain pixel L2).
    public let shifts: [PixelShift]
    /// The median of `distances`.
    public let medianDistance: Double
    /// The median over test rows of the distance to their nearest training row, when a test set
    /// was given: what "close to the training set" means for data the model never saw.
    public let testMedianDistance: Double?
    /// The fraction of generated rows strictly closer to a training row than `testMedianDistance`.
    public let fractionCloserThanTestMedian: Double?
}

/// A memorization check of generated samples against the training set.
public struct MemorizationResult: Sendable, Equatable {
    /// Nearest training rows in plain Euclidean (pixel L2) distance.
    public let pixel: NearestTrainingMatches
    /// Nearest training rows in the shift-tolerant distance; nil when `maxShift` is 0.
    public let shifted: NearestTrainingMatches?
    /// The largest translation tried, in pixels along each axis.
    public let maxShift: Int
}

/// Does the generator copy its training set? For each generated sample, the nearest training
/// samples in pixel L2 and in a shift-tolerant distance,
///
///     d_shift(g, t) = min over |dx|, |dy| <= maxShift of ||shift(g, dx, dy) - t||,
///
/// shifts filling the uncovered border with zeros (a copy moved by a pixel or two is still a
/// copy); and, given a test set, the fraction of samples closer to a training sample than the
/// median test-to-training nearest distance under the same distance (memorized samples sit far
/// closer to the training set than fresh data does; cf. Webster et al., "Detecting
/// Overfitting of Deep Generative Networks via Latent Recovery", CVPR 2019, and the
/// nearest-neighbour checks of Goodfellow et al. 2014, figure 2). On feature rows, `maxShift: 0`
/// gives the same check in feature space.
public enum Memorization {
    /// Runs the check. `generated`, `training` and `test` hold one sample per row of the first
    /// axis with the same number of values; the image layout (needed when `maxShift` > 0) is
    /// inferred from `generated`'s shape (see `ImageLayout.infer`).
    public static func evaluate(generated: Tensor, training: Tensor, test: Tensor? = nil, maxShift: Int = 2) throws -> MemorizationResult {
        let layout = maxShift > 0 ? try ImageLayout.infer(shape: generated.shape, name: "generated") : nil
        return try evaluate(generated: FeatureMatrix(flattening: generated, name: "generated"),
                            training: FeatureMatrix(flattening: training, name: "training set"),
                            test: test.map { try FeatureMatrix(flattening: $0, name: "test set") },
                            layout: layout, maxShift: maxShift)
    }

    /// The shift-tolerant distance between two images of `layout` and the shift of `a` that attains it
    /// (the smallest shift, then the lowest dy, then the lowest dx, among equal distances).
    public static func shiftTolerantDistance(_ a: [Float], _ b: [Float], layout: ImageLayout,
                                             maxShift: Int) -> (distance: Double, shift: PixelShift) {
        precondition(a.count == layout.count && b.count == layout.count, "shiftTolerantDistance: images of \(layout.count) values expected")
        var best = (distance: Double.infinity, shift: PixelShift(dx: 0, dy: 0))
        for s in shifts(maxShift) {
            let moved = layout.shifted(a, dx: s.dx, dy: s.dy)
            var sum = 0.0
            for i in 0..<moved.count { let t = Double(moved[i]) - Double(b[i]); sum += t * t }
            if sum < best.distance { best = (sum, s) }
        }
        return (best.distance.squareRoot(), best.shift)
    }

    /// The shifts tried, smallest first: (0, 0), then by max(|dx|, |dy|), dy, dx.
    static func shifts(_ maxShift: Int) -> [PixelShift] {
        var all = [PixelShift]()
        for dy in -maxShift...maxShift { for dx in -maxShift...maxShift { all.append(PixelShift(dx: dx, dy: dy)) } }
        return all.sorted { (max(abs($0.dx), abs($0.dy)), $0.dy, $0.dx) < (max(abs($1.dx), abs($1.dy)), $1.dy, $1.dx) }
    }

    /// The check on validated matrices.
    static func evaluate(generated: FeatureMatrix, training: FeatureMatrix, test: FeatureMatrix?, layout: ImageLayout?,
                         maxShift: Int) throws -> MemorizationResult {
        guard maxShift >= 0 else { throw MetricError("memorization: the largest shift must be 0 or more, got \(maxShift)") }
        try generated.requireSameWidth(as: training)
        if let test { try test.requireSameWidth(as: training) }
        let pixel = matches(generated, training, test, layout: nil, maxShift: 0)
        var shifted: NearestTrainingMatches? = nil
        if maxShift > 0 {
            guard let layout else { throw MetricError("memorization: a shift needs the image layout") }
            guard layout.count == generated.cols else {
                throw MetricError("\(generated.name): rows of \(generated.cols) values do not match images of "
                                  + "\(layout.height) x \(layout.width) x \(layout.channels)")
            }
            shifted = matches(generated, training, test, layout: layout, maxShift: maxShift)
        }
        return MemorizationResult(pixel: pixel, shifted: shifted, maxShift: maxShift)
    }

    /// Nearest training rows of the generated rows (and the test median) under one distance.
    static func matches(_ g: FeatureMatrix, _ train: FeatureMatrix, _ test: FeatureMatrix?, layout: ImageLayout?,
                        maxShift: Int) -> NearestTrainingMatches {
        let (indices, distances, moves) = nearest(g, train, layout: layout, maxShift: maxShift)
        var testMedian: Double? = nil, fraction: Double? = nil
        if let test {
            let m = median(nearest(test, train, layout: layout, maxShift: maxShift).distances)
            testMedian = m
            fraction = Double(distances.filter { $0 < m }.count) / Double(distances.count)
        }
        return NearestTrainingMatches(indices: indices, distances: distances, shifts: moves, medianDistance: median(distances),
                                      testMedianDistance: testMedian, fractionCloserThanTestMedian: fraction)
    }

    /// For each query row, the nearest training row over all shifts of the query, with the
    /// exact distance and the shift. Earlier shifts (see `shifts`) win ties.
    static func nearest(_ q: FeatureMatrix, _ train: FeatureMatrix, layout: ImageLayout?,
                        maxShift: Int) -> (indices: [Int], distances: [Double], shifts: [PixelShift]) {
        var indices = [Int](repeating: 0, count: q.rows)
        var distances = [Double](repeating: .infinity, count: q.rows)
        var moves = [PixelShift](repeating: PixelShift(dx: 0, dy: 0), count: q.rows)
        for s in shifts(maxShift) {
            let moved = layout.map { $0.shifted(q, dx: s.dx, dy: s.dy) } ?? q
            let found = NearestNeighbours.exactSearch(moved, train, k: 1)
            for i in 0..<q.rows where found.distances[i][0] < distances[i] {
                distances[i] = found.distances[i][0]
                indices[i] = found.indices[i][0]
                moves[i] = s
            }
        }
        return (indices, distances, moves)
    }

    /// The median (the mean of the two middle values for an even count, as `numpy.median`).
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        let h = s.count / 2
        return s.count % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2
    }
}
