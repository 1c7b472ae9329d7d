import Foundation
import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct ParzenTests {
    @Test func oneSampleIsAGaussianDensity() throws {
        // log N(x; mu, sigma^2 I) = -||x - mu||^2 / (2 sigma^2) - d log(sigma sqrt(2 pi)).
        let mu = Tensor([1, -2, 0.5], shape: [1, 3])
        let x = Tensor([0, 0, 0, 1, -2, 0.5], shape: [2, 3])
        let ll = try Parzen.logLikelihoods(x, samples: mu, sigma: 0.7)
        let norm = 3 * log(0.7 * (2 * Double.pi).squareRoot())
        #expect(abs(ll[0] - (-5.25 / (2 * 0.49) - norm)) < 1e-6)
        #expect(abs(ll[1] - (-norm)) < 1e-6)
    }

    @Test func farSamplesDoNotUnderflow() throws {
        // exp(-||x - mu||^2 / (2 sigma^2)) underflows in Float64; the log-sum-exp does not.
        let mu = Tensor([100, 100], shape: [1, 2])
        let ll = try Parzen.logLikelihoods(Tensor([0, 0], shape: [1, 2]), samples: mu, sigma: 0.1)
        let expected = -20_000 / (2 * 0.01) - 2 * log(0.1 * (2 * Double.pi).squareRoot())
        #expect(abs(ll[0] - expected) < 1e-6 * abs(expected))
    }

    @Test func blocksGiveTheSameAsDirectSums() throws {
        // More rows than one block of samples (4096) and of queries (1024).
        let rng = RandomGenerator(seed: 9)
        let samples = Tensor((0..<(4500 * 3)).map { _ in rng.nextNormal() }, shape: [4500, 3])
        let x = Tensor((0..<(1100 * 3)).map { _ in rng.nextNormal() * 1.5 }, shape: [1100, 3])
        let ll = try Parzen.logLikelihoods(x, samples: samples, sigma: 0.3)
        let s = samples.scalars, q = x.scalars
        for i in [0, 1023, 1024, 1099] {
            var terms = [Double]()
            for j in 0..<4500 {
                var d = 0.0
                for c in 0..<3 { let t = Double(q[i * 3 + c]) - Double(s[j * 3 + c]); d += t * t }
                terms.append(-d / (2 * 0.09))
            }
            let top = terms.max()!
            let direct = top + log(terms.reduce(0) { $0 + exp($1 - top) }) - log(4500) - 3 * log(0.3 * (2 * Double.pi).squareRoot())
            #expect(abs(ll[i] - direct) < 1e-5 * abs(direct), "row \(i): \(ll[i]) vs \(direct)")
        }
    }

    @Test func defaultGridIsGoodfellows() {
        #expect(Parzen.defaultSigmas.count == 10)
        #expect(abs(Parzen.defaultSigmas[0] - 0.1) < 1e-15 && abs(Parzen.defaultSigmas[9] - 1) < 1e-15)
        #expect(abs(Parzen.defaultSigmas[1] - pow(10, -8.0 / 9)) < 1e-15)
    }

    @Test func refusesBadInputs() {
        let a = Tensor([0, 0, 1, 1], shape: [2, 2])
        #expect(thrownText { try Parzen.logLikelihoods(a, samples: a, sigma: 0) }.contains("positive and finite, got 0.0"))
        #expect(thrownText { try Parzen.evaluate(samples: a, validation: a, test: a, sigmas: []) }.contains("list of bandwidths is empty"))
        #expect(thrownText { try Parzen.evaluate(samples: a, validation: Tensor([0, 0, 0], shape: [1, 3]), test: a) }
            == "validation set has 3 features per row, samples has 2")
    }
}
