import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct DomainProbeTests {
    @Test func separatedDomainsScoreOneAndIdenticalOnesScoreChance() throws {
        let a = Tensor.randn([300, 5], generator: RandomGenerator(seed: 1))
        let b = Tensor.randn([200, 5], generator: RandomGenerator(seed: 2))
        // Moved by 6 deviations along one coordinate: a line separates them.
        let moved = b + Tensor([0, 0, 6, 0, 0], shape: [1, 5])
        #expect(try DomainProbe.linearAccuracy(source: a, target: moved) > 0.99)
        // Drawn from the same distribution: no better than chance, give or take the sample.
        let same = try DomainProbe.linearAccuracy(source: a, target: b)
        #expect(abs(same - 0.5) < 0.1, "\(same)")
        #expect(try DomainProbe.linearAccuracy(source: a, target: b, seed: 4) == DomainProbe.linearAccuracy(source: a, target: b, seed: 4))
        #expect(throws: DANNError.badBatch(what: "domain probe features",
                                           reason: "expected [Ns, D] and [Nt, D] with at least 2 rows each, got [300, 5] and [200, 4]")) {
            try DomainProbe.linearAccuracy(source: a, target: Tensor.zeros([200, 4]))
        }
    }
}
