import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct PrecisionRecallTests {
    func points(_ n: Int, _ d: Int, seed: UInt64, shift: Float = 0) -> Tensor {
        let rng = RandomGenerator(seed: seed)
        return Tensor((0..<(n * d)).map { _ in rng.nextNormal() + shift }, shape: [n, d])
    }

    @Test func identicalSetsHavePrecisionAndRecallOne() throws {
        let a = points(500, 16, seed: 1)
        let r = try PrecisionRecall.evaluate(real: a, fake: a)
        #expect(r.precision == 1 && r.recall == 1 && r.k == 3)
    }

    @Test func distantSetsHaveNone() throws {
        let r = try PrecisionRecall.evaluate(real: points(100, 3, seed: 1), fake: points(100, 3, seed: 2, shift: 50), k: 5)
        #expect(r.precision == 0 && r.recall == 0)
    }

    @Test func collapsedGeneratorHasPrecisionButNoRecall() throws {
        // All fake samples at one real point: precise, covering nothing else.
        let real = points(200, 2, seed: 3)
        let first = Array(real.scalars[0..<2])
        let fake = Tensor((0..<(50 * 2)).map { first[$0 % 2] + Float($0 / 2) * 1e-4 }, shape: [50, 2])
        let r = try PrecisionRecall.evaluate(real: real, fake: fake)
        #expect(r.precision == 1 && r.recall < 0.05, "\(r)")
    }

    @Test func refusesTooFewRows() {
        let a = points(3, 2, seed: 1)
        #expect(thrownText { try PrecisionRecall.evaluate(real: a, fake: points(10, 2, seed: 2)) } == "real set: has 3 rows; k = 3 needs at least 4")
    }
}
