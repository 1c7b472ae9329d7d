import Testing
@testable import Graft

@Suite struct LinearSamplingTests {
    @Test func drawsWhatCategoricalDrawsFromTheLinearLogits() {
        // 130 rows span three row blocks (56 rows each); 300 classes several scan blocks. The
        // draws are those of categorical(logits: linear(...)) with the same generator state.
        let g = RandomGenerator(seed: 1)
        let x = Tensor.randn([130, 7], generator: g), w = Tensor.randn([300, 7], std: 2, generator: g)
        let b = Tensor.randn([300], generator: g)
        for (bias, t) in [(Optional(b), Float(1)), (nil, 0.5)] {
            let expected = Tensor.categorical(logits: Tensor.linear(x, weight: w, bias: bias), temperature: t, generator: RandomGenerator(seed: 2))
            let one = ComputeThreads.with(1) {
                Tensor.categorical(features: x, weight: w, bias: bias, temperature: t, generator: RandomGenerator(seed: 2))
            }
            let two = ComputeThreads.with(2) {
                Tensor.categorical(features: x, weight: w, bias: bias, temperature: t, generator: RandomGenerator(seed: 2))
            }
            #expect(one.shape == [130])
            #expect(one.scalars == expected.scalars)
            #expect(two.scalars == one.scalars)
            #expect(Set(one.scalars).count > 20)   // the logits spread the draws over many classes
        }
    }

    @Test func followsTheSoftmaxOfTheLogits() {
        // Features [1, 2] against three class vectors: logits 0, 1, 2 plus bias [0, 0, -1].
        let w = Tensor([0, 0, 1, 0, 0, 1], shape: [3, 2]), b = Tensor([0, 0, -1])
        let x = Tensor([1, 2], shape: [1, 2]).expand([40_000, 2])
        let draws = Tensor.categorical(features: x, weight: w, bias: b, generator: RandomGenerator(seed: 3)).scalars
        let p = Tensor([0, 1, 1]).softmax().scalars
        for k in 0..<3 {
            let f = Float(draws.filter { $0 == Float(k) }.count) / 40_000
            #expect(abs(f - p[k]) < 0.01, "class \(k): \(f) vs \(p[k])")
        }
    }
}
