import Foundation
import Graft

/// Mode coverage of samples from a mixture with known mode centres (2-D rings and grids).
public struct MixtureCoverageResult: Sendable, Equatable {
    /// Modes that received at least `threshold` high-quality samples.
    public let modesCovered: Int
    /// The number of modes.
    public let modes: Int
    /// The fraction of samples within `qualityRadius` standard deviations of their nearest mode.
    public let highQualityFraction: Double
    /// High-quality samples per mode, in the order of the centres.
    public let highQualityCounts: [Int]
    /// The number of high-quality samples a mode needs to count as covered.
    public let threshold: Int
}

/// Mode coverage of a categorical mode histogram (e.g. the 1000 digit triples of stacked MNIST).
public struct CategoricalCoverageResult: Sendable, Equatable {
    /// Modes with at least `threshold` samples.
    public let modesCovered: Int
    /// The number of modes K.
    public let modes: Int
    /// KL(histogram || uniform) = sum_k p_k log(K p_k), in nats (0 when every mode is equally
    /// frequent, log K when all samples fall in one mode).
    public let klToUniform: Double
    /// The number of samples per mode a mode needs to count as covered.
    public let threshold: Int
}

/// Mode counting for generators of toy mixtures and of categorical data.
///
/// Mixtures (VEEGAN, Srivastava et al. NeurIPS 2017, section 5.1; PacGAN, Lin et al. NeurIPS
/// 2018, section 5): a sample is high quality when it lies within `qualityRadius` (3) standard
/// deviations of the nearest mode centre; a mode is covered when at least `threshold` high-quality
/// samples are nearest to it. Categorical (Metz et al., "Unrolled GANs", ICLR 2017, table 2; Che
/// et al. 2017): the number of modes with at least `threshold` samples and KL(histogram || uniform).
public enum ModeCoverage {
    /// Coverage of `samples` ([n, d]) by the modes at `centres` ([K, d]) with standard deviation
    /// `std` each.
    public static func evaluate(samples: Tensor, centres: Tensor, std: Double, threshold: Int = 1,
                                qualityRadius: Double = 3) throws -> MixtureCoverageResult {
        let s = try FeatureMatrix(samples, name: "samples")
        let c = try FeatureMatrix(centres, name: "mode centres")
        try s.requireSameWidth(as: c)
        guard std > 0 && std.isFinite else { throw MetricError("mode coverage: the standard deviation must be positive and finite, got \(std)") }
        guard qualityRadius > 0 && qualityRadius.isFinite else {
            throw MetricError("mode coverage: the quality radius must be positive and finite, got \(qualityRadius)")
        }
        guard threshold >= 1 else { throw MetricError("mode coverage: the threshold must be at least 1, got \(threshold)") }
        let nearest = NearestNeighbours.exactSearch(s, c, k: 1)
        var counts = [Int](repeating: 0, count: c.rows)
        var good = 0
        for i in 0..<s.rows where nearest.distances[i][0] <= qualityRadius * std {
            counts[nearest.indices[i][0]] += 1
            good += 1
        }
        return MixtureCoverageResult(modesCovered: counts.filter { $0 >= threshold }.count, modes: c.rows,
                                     highQualityFraction: Double(good) / Double(s.rows), highQualityCounts: counts, threshold: threshold)
    }

    /// `modes` centres evenly spaced on a circle of `radius` around the origin, the first on the
    /// positive x axis: [modes, 2].
    public static func ring(modes: Int, radius: Double) -> Tensor {
        precondition(modes >= 1, "ModeCoverage.ring: needs at least one mode")
        var v = [Float]()
        for k in 0..<modes {
            let a = 2 * Double.pi * Double(k) / Double(modes)
            v += [Float(radius * cos(a)), Float(radius * sin(a))]
        }
        return Tensor(v, shape: [modes, 2])
    }

    /// A side x side grid of centres `spacing` apart, centred on the origin, row by row: [side^2, 2]
    /// (side 5 and spacing 2 gives the usual grid at -4, -2, 0, 2, 4).
    public static func grid(side: Int, spacing: Double) -> Tensor {
        precondition(side >= 1, "ModeCoverage.grid: needs at least one mode per side")
        var v = [Float]()
        let offset = Double(side - 1) / 2
        for i in 0..<side {
            for j in 0..<side { v += [Float((Double(i) - offset) * spacing), Float((Double(j) - offset) * spacing)] }
        }
        return Tensor(v, shape: [side * side, 2])
    }

    /// The histogram of `labels` over 0..<modes.
    public static func histogram(labels: [Int], modes: Int) throws -> [Int] {
        guard modes >= 1 else { throw MetricError("mode histogram: needs at least one mode, got \(modes)") }
        var h = [Int](repeating: 0, count: modes)
        for (i, l) in labels.enumerated() {
            guard l >= 0 && l < modes else { throw MetricError("mode histogram: label \(i) is \(l), expected 0..<\(modes)") }
            h[l] += 1
        }
        return h
    }

    /// Coverage of a histogram of samples per mode.
    public static func categorical(counts: [Int], threshold: Int = 1) throws -> CategoricalCoverageResult {
        guard !counts.isEmpty else { throw MetricError("mode coverage: the histogram is empty") }
        if let bad = counts.firstIndex(where: { $0 < 0 }) { throw MetricError("mode coverage: mode \(bad) has a negative count \(counts[bad])") }
        guard threshold >= 1 else { throw MetricError("mode coverage: the threshold must be at least 1, got \(threshold)") }
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { throw MetricError("mode coverage: the histogram holds no samples") }
        let k = Double(counts.count)
        let kl = counts.reduce(0.0) { acc, c in
            guard c > 0 else { return acc }
            let p = Double(c) / total
            return acc + p * log(k * p)
        }
        return CategoricalCoverageResult(modesCovered: counts.filter { $0 >= threshold }.count, modes: counts.count,
                                         klToUniform: kl, threshold: threshold)
    }
}
