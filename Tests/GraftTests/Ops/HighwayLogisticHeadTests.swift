import Testing
@testable import Graft

@Suite struct HighwayLogisticHeadTests {
    @Test(arguments: [true, false]) func matchesTheComposedOps(gated: Bool) {
        let g = RandomGenerator(seed: 5)
        let (rows, f) = (19, 11)
        let pooled = Tensor.randn([rows, f], generator: g).relu()
        let w = Tensor.randn([f, gated ? 2 * f : f], std: 0.5, generator: g), b = Tensor.randn([gated ? 2 * f : f], generator: g)
        let head = Tensor.randn([f], generator: g)
        let got = pooled.highwayLogisticHead(highwayWeight: w, highwayBias: b, headWeight: head, headBias: 0.3)
        let h = pooled.matmul(w) + b
        let gate = h.slice(axis: 1, start: 0, end: f).sigmoid()
        let candidate = gated ? h.slice(axis: 1, start: f) : h
        let mixed = gate * candidate.relu() + (1 - gate) * pooled
        let expected = ((mixed * head).sum(axis: 1) + 0.3).sigmoid()
        #expect(got.shape == [rows])
        for (a, e) in zip(got.scalars, expected.scalars) { #expect(abs(a - e) <= 1e-5) }
    }
}
