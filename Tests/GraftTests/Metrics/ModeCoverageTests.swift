import Foundation
import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct ModeCoverageTests {
    @Test func ringSamplesFromSomeModes() throws {
        let centres = ModeCoverage.ring(modes: 8, radius: 2)
        #expect(centres.shape == [8, 2] && abs(centres.scalars[2] - Float(2 * cos(Double.pi / 4))) < 1e-6)
        // 600 samples from modes 0..<6 with std 0.02, 100 of them far off the ring.
        let rng = RandomGenerator(seed: 1)
        let c = centres.scalars
        var v = [Float]()
        for i in 0..<600 {
            let mode = i % 6
            if i < 100 { v += [0.1 * rng.nextNormal(), 0.1 * rng.nextNormal()]; continue }
            v += [c[mode * 2] + 0.02 * rng.nextNormal(), c[mode * 2 + 1] + 0.02 * rng.nextNormal()]
        }
        let r = try ModeCoverage.evaluate(samples: Tensor(v, shape: [600, 2]), centres: centres, std: 0.02)
        #expect(r.modes == 8 && r.modesCovered == 6 && r.highQualityCounts[6] == 0 && r.highQualityCounts[7] == 0)
        // Of the 500 on-ring samples, about 99.99% (2-D Gaussian, 3 std: 1 - e^-4.5 = 98.9%) are high quality.
        #expect(r.highQualityFraction > 0.8 && r.highQualityFraction <= 500.0 / 600)
        let strict = try ModeCoverage.evaluate(samples: Tensor(v, shape: [600, 2]), centres: centres, std: 0.02, threshold: 100)
        #expect(strict.modesCovered < 6)
    }

    @Test func gridCentres() {
        let g = ModeCoverage.grid(side: 5, spacing: 2)
        #expect(g.shape == [25, 2] && Array(g.scalars[0..<4]) == [-4, -4, -4, -2] && Array(g.scalars[48..<50]) == [4, 4])
    }

    @Test func categoricalHistogram() throws {
        let uniform = try ModeCoverage.categorical(counts: [Int](repeating: 3, count: 1000))
        #expect(uniform.modesCovered == 1000 && abs(uniform.klToUniform) < 1e-12)
        let one = try ModeCoverage.categorical(counts: [0, 0, 7, 0])
        #expect(one.modesCovered == 1 && abs(one.klToUniform - log(4)) < 1e-12)
        let labels = [0, 1, 1, 2, 2, 2]
        let h = try ModeCoverage.histogram(labels: labels, modes: 4)
        #expect(h == [1, 2, 3, 0])
        let r = try ModeCoverage.categorical(counts: h, threshold: 2)
        let expected = [1.0, 2, 3].reduce(0) { $0 + $1 / 6 * log(4 * $1 / 6) }
        #expect(r.modesCovered == 2 && abs(r.klToUniform - expected) < 1e-12)
        #expect(thrownText { try ModeCoverage.histogram(labels: [0, 4], modes: 4) } == "mode histogram: label 1 is 4, expected 0..<4")
        #expect(thrownText { try ModeCoverage.categorical(counts: [0, 0]) } == "mode coverage: the histogram holds no samples")
    }
}
