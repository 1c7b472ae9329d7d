import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct BatchDiscriminationTests {
    @Test func packingConcatenatesConsecutiveSamples() {
        let x = Tensor([0, 1, 2, 3, 4, 5, 6, 7], shape: [4, 2])
        let packed = PacGAN.pack(x, 2)
        #expect(packed.shape == [2, 4] && packed.scalars == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(PacGAN.pack(Tensor.zeros([6, 1, 3, 3]), 3).shape == [2, 3, 3, 3])
        #expect(PacGAN.pack(x, 1) === x)
    }

    @Test func minibatchFeaturesCountCloseNeighbours() {
        let layer = MinibatchDiscrimination(inFeatures: 3, outFeatures: 4, kernelSize: 2, generator: RandomGenerator(seed: 1))
        // A batch of identical rows: every closeness feature is exp(0) summed over the other N - 1 rows.
        let same = Tensor([0.3, -0.2, 0.9, 0.3, -0.2, 0.9, 0.3, -0.2, 0.9], shape: [3, 3])
        let out = layer(same)
        #expect(out.shape == [3, 7])
        for row in 0..<3 {
            expectClose(Array(out.scalars[(row * 7)..<(row * 7 + 3)]), [0.3, -0.2, 0.9])
            expectClose(Array(out.scalars[(row * 7 + 3)..<(row * 7 + 7)]), [2, 2, 2, 2])
        }
        // Spread-out rows are less close to each other.
        let spread = layer(Tensor([5, 0, 0, 0, 5, 0, 0, 0, 5], shape: [3, 3]))
        #expect(spread.scalars[3..<7].allSatisfy { $0 < 2 })
    }

    @Test func minibatchDiscriminationGradientsMatchFiniteDifferences() {
        let layer = MinibatchDiscrimination(inFeatures: 3, outFeatures: 2, kernelSize: 2, generator: RandomGenerator(seed: 4))
        let x = sample([4, 3], seed: 9)
        layer.kernels = sample([3, 4], seed: 10)   // projections far apart, so no |.| kink lies within eps
        checkGradients([x, layer.kernels], eps: 1e-3) { inputs in
            layer.kernels = inputs[1]
            return layer(inputs[0])
        }
    }

    @Test func closenessAndItsGradientDoNotDependOnTheThreadCount() {
        func run(threads: Int) -> (out: [Float], grad: [Float]) {
            ComputeThreads.with(threads) {
                let m = Tensor.randn([40, 6, 5], generator: RandomGenerator(seed: 9))
                m.requiresGrad = true
                let out = MinibatchDiscrimination.closeness(m)
                (out * Tensor.randn([40, 6], generator: RandomGenerator(seed: 10))).sum().backward()
                return (out.scalars, m.grad!.scalars)
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(one.out == two.out && one.grad == two.grad)
        #expect(one.out.allSatisfy { $0 > 0 && $0 < 39 })
    }
}
