import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftMetrics

/// A committed input of scripts/make_metric_fixtures.py.
func metricFixture(_ name: String) throws -> Tensor { try NPY.read(fixtureURL("metrics/\(name).npy")) }

/// The reference values scripts/make_metric_fixtures.py computed with numpy and scipy.
func expectedMetrics() throws -> [String: Any] {
    let data = try Data(contentsOf: fixtureURL("metrics/expected.json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

/// Whether `a` is within `tolerance` of `b`, relative to |b|.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-4) -> Bool {
    abs(a - b) <= tolerance * abs(b)
}

/// The metrics agree with numpy/scipy reference implementations on the same inputs, to 1e-4
/// relative.
@Suite struct MetricFixtureTests {
    @Test func fidMatchesPytorchFid() throws {
        let expected = try expectedMetrics()["fid"] as! [String: Double]
        let r = try FID.evaluate(metricFixture("fid_a"), metricFixture("fid_b"))
        #expect(close(r.fid, expected["fid"]!), "\(r.fid) vs \(expected["fid"]!)")
        #expect(close(r.traceSqrtProduct, expected["trace_sqrt_product"]!))
        #expect(r.dimension == 16)
    }

    @Test func kidMatchesThePolynomialMMDOnWholeSets() throws {
        let expected = try expectedMetrics()["kid"] as! [String: Double]
        let r = try KID.evaluate(metricFixture("kid_a"), metricFixture("kid_b"), subsets: 1, subsetSize: 120)
        #expect(close(r.mean, expected["mmd2"]!), "\(r.mean) vs \(expected["mmd2"]!)")
        #expect(r.std == 0 && r.subsetValues.count == 1 && r.subsetSize == 120)
    }

    @Test func inceptionScoreMatchesSalimansFormula() throws {
        let expected = try expectedMetrics()["inception"] as! [String: Any]
        let ten = expected["probs_splits10"] as! [Double]
        let r = try ClassifierScore.evaluate(probabilities: metricFixture("is_probs"), splits: 10)
        #expect(close(r.score, ten[0]) && close(r.std, ten[1]), "\(r.score) ± \(r.std) vs \(ten)")
        let one = try ClassifierScore.evaluate(probabilities: metricFixture("is_probs"), splits: 1)
        #expect(close(one.score, expected["probs_splits1"] as! Double))
        // Over one split the score is exp(H(p(y)) - E H(p(y|x))).
        #expect(close(one.score, exp(one.marginalEntropy - one.meanConditionalEntropy), 1e-12))
        let logits = expected["logits_splits10"] as! [Double]
        let l = try ClassifierScore.evaluate(logits: metricFixture("is_logits"), splits: 10)
        #expect(close(l.score, logits[0]) && close(l.std, logits[1]))
    }

    @Test func parzenMatchesGoodfellowsProtocol() throws {
        let expected = try expectedMetrics()["parzen"] as! [String: Any]
        let sigmas = expected["sigmas"] as! [Double]
        let r = try Parzen.evaluate(samples: metricFixture("parzen_samples"), validation: metricFixture("parzen_valid"),
                                    test: metricFixture("parzen_test"), sigmas: sigmas)
        #expect(r.sigma == expected["sigma"] as! Double)
        #expect(close(r.meanLogLikelihood, expected["mean_ll"] as! Double), "\(r.meanLogLikelihood)")
        #expect(close(r.standardError, expected["se"] as! Double))
        let curve = expected["validation_curve"] as! [Double]
        #expect(r.validationCurve.count == curve.count)
        for (point, value) in zip(r.validationCurve, curve) { #expect(close(point.meanLogLikelihood, value), "sigma \(point.sigma)") }
    }

    @Test func precisionRecallMatchesKynkaanniemi() throws {
        let expected = try expectedMetrics()["precision_recall"] as! [String: Double]
        let r = try PrecisionRecall.evaluate(real: metricFixture("pr_real"), fake: metricFixture("pr_fake"), k: 3)
        #expect(r.precision == expected["precision"]! && r.recall == expected["recall"]!, "\(r)")
    }

    @Test func eigenvaluesMatchNumPy() throws {
        let expected = (try expectedMetrics()["eigen"] as! [String: [Double]])["values"]!
        let raw = try NPY.readRaw(fixtureURL("metrics/eigen_matrix.npy"))
        #expect(raw.dtype == .float64 && raw.shape == [12, 12])
        let matrix = raw.data.withUnsafeBytes { b in
            (0..<144).map { Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
        }
        let values = try SymmetricEigen.eigenvalues(matrix, n: 12)
        for (v, e) in zip(values, expected) { #expect(abs(v - e) <= 1e-10 * 4, "\(v) vs \(e)") }
    }
}
