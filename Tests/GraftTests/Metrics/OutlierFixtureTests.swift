import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftMetrics

/// A committed input of scripts/make_outlier_fixtures.py.
func outlierFixture(_ name: String) throws -> Tensor { try NPY.read(fixtureURL("metrics/outliers/\(name).npy")) }

/// The reference values scripts/make_outlier_fixtures.py computed with numpy, scipy and exact rationals.
func expectedOutliers() throws -> [String: Any] {
    let data = try Data(contentsOf: fixtureURL("metrics/outliers/expected.json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

/// `base[name]` with the fixture's edits of set `name` applied in Float32: one value, or a whole
/// row when "col" is null.
func applyingEdits(_ edits: [[String: Any]], to base: [String: Tensor]) -> [String: Tensor] {
    var sets = base
    for edit in edits {
        let name = edit["set"] as! String, row = edit["row"] as! Int, value = Float(edit["value"] as! Double)
        let t = sets[name]!
        let d = t.shape[1]
        var v = t.scalars
        if let col = edit["col"] as? Int {
            v[row * d + col] = value
        } else {
            for c in 0..<d { v[row * d + c] = value }
        }
        sets[name] = Tensor(v, shape: t.shape)
    }
    return sets
}

/// Issue 25, finding 3: outliers and values near Float32's range against float64 and exact
/// references. Before the fix, on these fixtures: one sample value of 1e6 gave -11.506 nats with
/// sigma 0.599 (NumPy: -11.945 with 0.774), 1e19 among the samples read as a distance of 0
/// (+11.07 nats), a test value of 3e19 gave NaN, a validation value of 3e19 picked sigma 0.1
/// (-141.7 for -12.217), two outliers near each other -11.509 for -11.996, and KID gave -inf
/// (printed as null in JSON) for rows near 1e19.
@Suite struct OutlierFixtureTests {
    @Test func parzenMatchesNumPyUnderOutliers() throws {
        let cases = try expectedOutliers()["parzen"] as! [[String: Any]]
        let base = ["samples": try outlierFixture("parzen_samples"), "validation": try outlierFixture("parzen_valid"),
                    "test": try outlierFixture("parzen_test")]
        #expect(cases.count == 8)
        for c in cases {
            let name = c["name"] as! String
            let sets = applyingEdits(c["edits"] as! [[String: Any]], to: base)
            let r = try Parzen.evaluate(samples: sets["samples"]!, validation: sets["validation"]!, test: sets["test"]!)
            let mean = c["mean_ll"] as! Double, se = c["se"] as! Double
            #expect(r.sigma == c["sigma"] as! Double, "\(name): sigma \(r.sigma)")
            #expect(close(r.meanLogLikelihood, mean, 1e-6), "\(name): \(r.meanLogLikelihood) vs \(mean)")
            #expect(close(r.standardError, se, 1e-5), "\(name): standard error \(r.standardError) vs \(se)")
            for (point, value) in zip(r.validationCurve, c["validation_curve"] as! [Double]) {
                #expect(close(point.meanLogLikelihood, value, 1e-6), "\(name): sigma \(point.sigma): \(point.meanLogLikelihood) vs \(value)")
            }
        }
    }

    @Test func kidMatchesExactArithmeticUnderOutliers() throws {
        let cases = try expectedOutliers()["kid"] as! [[String: Any]]
        let base = ["a": try outlierFixture("kid_a"), "b": try outlierFixture("kid_b")]
        #expect(cases.count == 4)
        for c in cases {
            let name = c["name"] as! String, want = c["mmd2"] as! Double
            let sets = applyingEdits(c["edits"] as! [[String: Any]], to: base)
            let r = try KID.evaluate(sets["a"]!, sets["b"]!, subsets: 1, subsetSize: 120)
            #expect(r.mean.isFinite && close(r.mean, want, 1e-6), "\(name): \(r.mean) vs \(want)")
        }
    }

    @Test func fidWithFewerRowsThanFeaturesMatchesScipy() throws {
        let e = try expectedOutliers()["fid_thin"] as! [String: Double]
        let a = try outlierFixture("fid_thin_a"), b = try outlierFixture("fid_thin_b")
        #expect(a.shape == [24, 300] && b.shape == [20, 300])
        let r = try FID.evaluate(a, b)
        #expect(FIDPlan(rowsA: 24, rowsB: 20, features: 300, nameA: "a", nameB: "b").route == .gram)
        #expect(close(r.fid, e["fid"]!, 1e-9), "\(r.fid) vs \(e["fid"]!)")
        #expect(close(r.traceSqrtProduct, e["trace_sqrt_product"]!, 1e-9))
        #expect(close(r.traceA, e["trace_a"]!, 1e-12) && close(r.traceB, e["trace_b"]!, 1e-12))
        #expect(close(r.meanDistanceSquared, e["mean_distance_squared"]!, 1e-12))
        // pytorch-fid's sqrtm of the singular product carries its own rounding, about 1e-7 here.
        #expect(close(r.fid, e["fid_sqrtm"]!, 1e-6), "\(r.fid) vs \(e["fid_sqrtm"]!)")
    }
}
