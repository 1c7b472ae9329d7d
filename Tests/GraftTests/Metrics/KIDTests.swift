import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct KIDTests {
    func features(_ n: Int, _ d: Int, seed: UInt64, shift: Float = 0) -> Tensor {
        let rng = RandomGenerator(seed: seed)
        return Tensor((0..<(n * d)).map { _ in rng.nextNormal() + shift }, shape: [n, d])
    }

    @Test func subsetsAreDeterministic() throws {
        let a = features(300, 6, seed: 1), b = features(250, 6, seed: 2, shift: 0.5)
        let r1 = try KID.evaluate(a, b, subsets: 5, subsetSize: 100, seed: 7)
        let r2 = try KID.evaluate(a, b, subsets: 5, subsetSize: 100, seed: 7)
        let r3 = try KID.evaluate(a, b, subsets: 5, subsetSize: 100, seed: 8)
        #expect(r1 == r2 && r1.subsetValues != r3.subsetValues)
        #expect(r1.subsetValues.count == 5 && r1.std > 0 && r1.mean > 0)
        // The default subset size is min(1000, n, m).
        #expect(try KID.evaluate(a, b, subsets: 1).subsetSize == 250)
    }

    @Test func subsetEstimatesAreTheWholeSetFormulaOnTheDrawnRows() throws {
        let a = features(40, 3, seed: 3), b = features(40, 3, seed: 4, shift: 1)
        let r = try KID.evaluate(a, b, subsets: 2, subsetSize: 15, seed: 11)
        let rng = RandomGenerator(seed: 11)
        let fa = try FeatureMatrix(a, name: "a"), fb = try FeatureMatrix(b, name: "b")
        for s in 0..<2 {
            let x = fa.selecting(Array(rng.permutation(40).prefix(15)))
            let y = fb.selecting(Array(rng.permutation(40).prefix(15)))
            // Direct double loops over the kernel.
            func k(_ p: FeatureMatrix, _ i: Int, _ q: FeatureMatrix, _ j: Int) -> Double {
                var dot = 0.0
                for c in 0..<3 { dot += Double(p.values[i * 3 + c]) * Double(q.values[j * 3 + c]) }
                return (dot / 3 + 1) * (dot / 3 + 1) * (dot / 3 + 1)
            }
            var xx = 0.0, yy = 0.0, xy = 0.0
            for i in 0..<15 { for j in 0..<15 { if i != j { xx += k(x, i, x, j); yy += k(y, i, y, j) }; xy += k(x, i, y, j) } }
            let direct = (xx + yy) / (15 * 14) - 2 * xy / (15 * 15)
            #expect(abs(r.subsetValues[s] - direct) < 1e-5 * abs(direct), "\(r.subsetValues[s]) vs \(direct)")
        }
    }

    @Test func sameDistributionGivesNearZero() throws {
        let r = try KID.evaluate(features(2000, 4, seed: 5), features(2000, 4, seed: 6), subsets: 10, subsetSize: 500)
        #expect(abs(r.mean) < 0.01, "\(r.mean)")
        let far = try KID.evaluate(features(500, 4, seed: 5), features(500, 4, seed: 6, shift: 2), subsets: 3, subsetSize: 200)
        #expect(far.mean > 1)
    }

    @Test func refusesBadOptions() {
        let a = features(10, 2, seed: 1)
        #expect(thrownText { try KID.evaluate(a, features(8, 2, seed: 2), subsetSize: 9) }.contains("subset size must be between 2 and 8"))
        #expect(thrownText { try KID.evaluate(a, a, subsets: 0) }.contains("number of subsets must be at least 1, got 0"))
    }
}
