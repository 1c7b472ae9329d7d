import Foundation
import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct FIDTests {
    /// n rows of d normal features with seed `seed`.
    func features(_ n: Int, _ d: Int, seed: UInt64, scale: Float = 1, shift: Float = 0) -> Tensor {
        let rng = RandomGenerator(seed: seed)
        return Tensor((0..<(n * d)).map { _ in rng.nextNormal() * scale + shift }, shape: [n, d])
    }

    @Test func aSetAgainstItselfIsZero() throws {
        let a = features(300, 24, seed: 1)
        let r = try FID.evaluate(a, a)
        #expect(abs(r.fid) < 1e-9 * r.traceA, "\(r.fid)")
        #expect(abs(r.meanDistanceSquared) == 0)
        // Fewer rows than features: a singular covariance.
        let thin = features(10, 40, seed: 2)
        let singular = try FID.evaluate(thin, thin)
        #expect(abs(singular.fid) < 1e-9 * singular.traceA, "\(singular)")
    }

    @Test func gaussiansWithDiagonalCovariancesHaveTheClosedForm() throws {
        // FID = ||mu1 - mu2||^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2 for commuting covariances.
        let d = 5
        let a: [Double] = [1, 2, 3, 0.5, 4], b: [Double] = [2, 2, 1, 0.25, 9]
        let mu1: [Double] = [0, 1, 2, 3, 4], mu2: [Double] = [1, 1, 1, 1, 1]
        func diag(_ v: [Double]) -> [Double] { (0..<(d * d)).map { $0 % (d + 1) == 0 ? v[$0 / (d + 1)] : 0 } }
        let r = try FID.distance(GaussianStatistics(count: 10, mean: mu1, covariance: diag(a)),
                                 GaussianStatistics(count: 10, mean: mu2, covariance: diag(b)))
        let closed = zip(mu1, mu2).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            + zip(a, b).reduce(0) { $0 + ($1.0.squareRoot() - $1.1.squareRoot()) * ($1.0.squareRoot() - $1.1.squareRoot()) }
        #expect(abs(r.fid - closed) < 1e-12 * closed, "\(r.fid) vs \(closed)")
    }

    @Test func nonCommutingCovariancesHaveTheClosedForm() throws {
        // For 2 x 2 matrices, tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)).
        let s1: [Double] = [2, 0.6, 0.6, 1], s2: [Double] = [1, -0.4, -0.4, 3]
        let m = [s1[0] * s2[0] + s1[1] * s2[2], s1[0] * s2[1] + s1[1] * s2[3], s1[2] * s2[0] + s1[3] * s2[2], s1[2] * s2[1] + s1[3] * s2[3]]
        let tr = m[0] + m[3], det = m[0] * m[3] - m[1] * m[2]
        let expected = (tr + 2 * det.squareRoot()).squareRoot()
        #expect(abs(try FID.traceSqrtProduct(s1, s2, n: 2) - expected) < 1e-13)
        let r = try FID.distance(GaussianStatistics(count: 3, mean: [0, 0], covariance: s1),
                                 GaussianStatistics(count: 3, mean: [3, 4], covariance: s2))
        #expect(abs(r.fid - (25 + 3 + 4 - 2 * expected)) < 1e-12)
    }

    @Test func samplesOfTwoGaussiansApproachTheClosedForm() throws {
        // N(0, I) against N(0.5, 4 I) in 8 dimensions: 8 * 0.25 + 8 * (1 - 2)^2 = 10.
        let r = try FID.evaluate(features(20_000, 8, seed: 3), features(20_000, 8, seed: 4, scale: 2, shift: 0.5))
        #expect(abs(r.fid - 10) < 0.3, "\(r.fid)")
    }

    @Test func refusesBadInputs() {
        let a = features(5, 3, seed: 1)
        #expect(thrownText { try FID.evaluate(a, features(5, 4, seed: 1)) } == "first set has 3 features per row, second set has 4")
        #expect(thrownText { try FID.evaluate(a, features(1, 3, seed: 1)) } == "second set: has 1 row, this metric needs at least 2")
        #expect(thrownText { try FID.evaluate(Tensor([1, 2, 3], shape: [3]), a) }.contains("expected a matrix [rows, features], got shape [3]"))
        var v = a.scalars
        v[7] = .nan
        #expect(thrownText { try FID.evaluate(a, Tensor(v, shape: [5, 3])) } == "second set: row 2 has nan at column 1; every value must be finite")
    }
}
