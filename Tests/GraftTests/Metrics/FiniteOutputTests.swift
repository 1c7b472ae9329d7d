import Testing
@testable import Graft
@testable import GraftMetrics

/// Issue 25, finding 3: no metric reports inf or nan. What Float64 cannot hold is an error that
/// names the input, the row where there is one, and what to change.
@Suite struct FiniteOutputTests {
    @Test func reportsWithANonFiniteNumberAreRefused() {
        let good = EvalReport(metric: "fid", entries: [EvalEntry("fid", "FID", .number(3)), EvalEntry("n", "", .integers([1]))])
        #expect(thrownText { try good.requireFinite(inputs: ["a.npy", "b.npy"]) } == "accepted")
        let bad = EvalReport(metric: "kid", entries: [EvalEntry("kid", "KID (mean MMD^2)", .number(-.infinity))])
        #expect(thrownText { try bad.requireFinite(inputs: ["a.npy", "b.npy"]) }
            == "kid of a.npy, b.npy: KID (mean MMD^2) is -inf, which is not a finite number")
        let list = EvalReport(metric: "parzen", entries: [EvalEntry("curve", "", .numbers([1, .nan]))])
        #expect(thrownText { try list.requireFinite(inputs: ["s.npy"]) } == "parzen of s.npy: curve is nan, which is not a finite number")
    }

    @Test func parzenNamesTheRowWhoseLogLikelihoodOverflows() {
        // 1 / (2 sigma^2) = 5e299 times a squared distance of 1e20 passes Float64's range.
        let samples = Tensor([0, 0, 1, 1], shape: [2, 2]), x = Tensor([0, 0, 1e10, 0], shape: [2, 2])
        #expect(thrownText { try Parzen.logLikelihoods(x, samples: samples, sigma: 1e-150) }
            == "points: the log-likelihood of row 1 under samples with sigma 1e-150 is not a finite number (its exponent "
            + "-||x - mu||^2 / (2 sigma^2) passes Float64's range), so use a larger sigma")
        #expect(thrownText { try Parzen.logLikelihoods(x, samples: samples, sigma: 1e-200) }
            == "Parzen: the bandwidth 1e-200 is too small: 1 / (2 sigma^2) overflows Float64, so use 1e-150 or more")
    }

    @Test func valuesNearFloat32sLimitGiveFiniteResults() throws {
        // Rows of 3e38 (near Float32's largest value) against ordinary ones: every result is finite.
        var v = Tensor.randn([20, 4], generator: RandomGenerator(seed: 4)).scalars
        for c in 0..<4 { v[3 * 4 + c] = 3e38 }
        v[7 * 4 + 1] = -3e38
        let big = Tensor(v, shape: [20, 4]), small = Tensor.randn([20, 4], generator: RandomGenerator(seed: 5))
        let kid = try KID.evaluate(big, small, subsets: 2, subsetSize: 20)
        #expect(kid.mean.isFinite && kid.std.isFinite && kid.mean < -1e200, "\(kid.mean)")
        let fid = try FID.evaluate(big, small)
        #expect(fid.fid.isFinite && fid.fid > 1e75, "\(fid)")
        let parzen = try Parzen.evaluate(samples: small, validation: small, test: big)
        #expect(parzen.meanLogLikelihood.isFinite && parzen.meanLogLikelihood < -1e75, "\(parzen)")
    }
}
