import Testing
@testable import Graft

@Suite struct PairwiseDistancesTests {
    /// ‖aᵢ - bⱼ‖² in Float64 from the Float32 inputs.
    func reference(_ a: Tensor, _ b: Tensor) -> [Double] {
        let (x, y, d) = (a.scalars, b.scalars, a.shape[1])
        var out: [Double] = []
        for i in 0..<a.shape[0] {
            for j in 0..<b.shape[0] {
                var s = 0.0
                for c in 0..<d { let t = Double(x[i * d + c]) - Double(y[j * d + c]); s += t * t }
                out.append(s)
            }
        }
        return out
    }

    @Test func matchesFloat64OnOrdinaryRows() {
        let g = RandomGenerator(seed: 1)
        let a = Tensor.randn([7, 5], generator: g), b = Tensor.randn([9, 5], generator: g)
        let got = a.pairwiseSquaredDistances(b)
        #expect(got.shape == [7, 9])
        for (x, y) in zip(got.scalars, reference(a, b)) { #expect(abs(Double(x) - y) <= 1e-5 * max(1, y)) }
    }

    @Test func oneHugeValueAmongSmallOnesKeepsTheSmallDistances() {
        // The mean of b moves to about 1e5: the expansion ‖a‖² + ‖b‖² - 2a·b on centred rows
        // would lose every small distance (Float32 ulp of 1e10 is 1024) without the exact pass.
        var r = TestRandom(state: 7)
        let a = Tensor(r.floats(6 * 3).map { $0 * 0.01 }, shape: [6, 3])
        var values = r.floats(10 * 3).map { $0 * 0.01 }
        values[4 * 3 + 1] = 1e6
        let b = Tensor(values, shape: [10, 3])
        let got = a.pairwiseSquaredDistances(b).scalars, want = reference(a, b)
        for (i, (x, y)) in zip(got, want).enumerated() {
            #expect(abs(Double(x) - y) <= 1e-5 * y + 1e-12, "pair \(i / 10), \(i % 10): \(x) vs \(y)")
        }
        let same = b.pairwiseSquaredDistances(b).scalars
        for i in 0..<10 { #expect(same[i * 10 + i] == 0) }
    }

    /// Every value of `reducePairwiseRows(a, b, measure:)`, row-major.
    func reduced(_ a: Tensor, _ b: Tensor, _ measure: Tensor.PairwiseMeasure) -> [Float] {
        Tensor.reducePairwiseRows(a, b, measure: measure, initial: [Float]()) { row, _, line in
            for j in 0..<line.count { row.append(line[j]) }
        }.flatMap { $0 }
    }

    @Test func rowReductionsKeepSmallDistancesNextToAnOutlier() {
        // Without the exact pass: only a centre the outlier cannot move (the median) keeps the
        // ordinary rows' norms, and so their distances, small. The mean moved by 1e5 here.
        var r = TestRandom(state: 11)
        let a = Tensor(r.floats(6 * 3), shape: [6, 3])
        var values = r.floats(10 * 3)
        values[4 * 3 + 1] = 1e6
        let b = Tensor(values, shape: [10, 3])
        let got = reduced(a, b, .squaredDistances), want = reference(a, b)
        for (i, (x, y)) in zip(got, want).enumerated() {
            #expect(abs(Double(x) - y) <= 1e-5 * y + 1e-6, "pair \(i / 10), \(i % 10): \(x) vs \(y)")
        }
    }

    @Test func overflowingDistancesReadAsInfinityNotZero() {
        // Squared values near 1e38 pass Float32's range in the norms and the SGEMM: such entries
        // are recomputed in Float64, so they read as their value or +inf, never as NaN or 0.
        var r = TestRandom(state: 12)
        var values = r.floats(5 * 4)
        for c in 0..<4 { values[1 * 4 + c] = 3e19 }       // squared distance about 3.6e39: +inf
        values[3 * 4 + 2] = 1e19                             // about 1e38: finite
        let a = Tensor(values, shape: [5, 4])
        let want = reference(a, a)
        for (i, (x, y)) in zip(reduced(a, a, .refinedSquaredDistances), want).enumerated() {
            if y > Double(Float.greatestFiniteMagnitude) {
                #expect(x == .infinity, "pair \(i / 5), \(i % 5): \(x) vs \(y)")
            } else {
                #expect(abs(Double(x) - y) <= 1e-5 * y + 1e-6, "pair \(i / 5), \(i % 5): \(x) vs \(y)")
            }
        }
        // Unrefined, a row's distance to itself may keep rounding of its 1e38 norm, but no large
        // distance reads as small.
        for (i, (x, y)) in zip(reduced(a, a, .squaredDistances), want).enumerated() where y > 1e30 {
            #expect(Double(x) >= 0.99 * y, "pair \(i / 5), \(i % 5): \(x) vs \(y)")
        }
        let full = a.pairwiseSquaredDistances(a).scalars
        #expect(full[1 * 5 + 1] == 0 && full[1 * 5 + 0] == .infinity && full[3 * 5 + 3] == 0)
    }

    @Test func refinedReductionsKeepTheDistanceOfTwoOutliersNearEachOther() {
        // Both rows hold 1e6 in column 0: their norms about the centre are 1e12, their distance 2.
        var r = TestRandom(state: 13)
        var av = r.floats(4 * 3), bv = r.floats(8 * 3)
        av[2 * 3] = 1e6
        bv[5 * 3] = 1e6 + 1
        av[2 * 3 + 1] = 0
        bv[5 * 3 + 1] = 1
        let a = Tensor(av, shape: [4, 3]), b = Tensor(bv, shape: [8, 3])
        let got = reduced(a, b, .refinedSquaredDistances), want = reference(a, b)
        for (i, (x, y)) in zip(got, want).enumerated() {
            #expect(abs(Double(x) - y) <= 1e-5 * y + 1e-6, "pair \(i / 8), \(i % 8): \(x) vs \(y)")
        }
    }

    @Test func gradientMatchesFiniteDifferences() {
        let g = RandomGenerator(seed: 2)
        let a = Tensor.randn([4, 3], generator: g), b = Tensor.randn([5, 3], generator: g)
        checkGradients([a, b], eps: 1e-2) { $0[0].pairwiseSquaredDistances($0[1]) }
    }

    @Test func rowReductionsSeeEveryPairInOrder() {
        let g = RandomGenerator(seed: 3)
        let a = Tensor.randn([6, 4], generator: g), b = Tensor.randn([11, 4], generator: g)
        let full = a.pairwiseSquaredDistances(b).scalars
        let rows = Tensor.reducePairwiseRows(a, b, measure: .squaredDistances, initial: [Float]()) { row, _, line in
            for j in 0..<line.count { row.append(line[j]) }
        }
        for (x, y) in zip(rows.flatMap { $0 }, full) { #expect(abs(x - y) <= 1e-5 * max(1, y)) }
        let dots = Tensor.reducePairwiseRows(a, b, measure: .dots(scale: 0.5), initial: [Float]()) { row, i, line in
            #expect(line.columns == 0..<11 && i < 6)
            for j in 0..<line.count { row.append(line[j]) }
        }
        let expected = (a.matmul(b.T) * 0.5).scalars
        for (x, y) in zip(dots.flatMap { $0 }, expected) { #expect(abs(x - y) <= 1e-5) }
    }
}
