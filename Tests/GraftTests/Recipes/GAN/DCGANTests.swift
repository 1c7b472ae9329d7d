import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct DCGANTests {
    @Test func shapesAndParameterCounts() {
        let g = DCGANGenerator(noiseSize: 16, generator: RandomGenerator(seed: 1))
        let d = DCGANDiscriminator(generator: RandomGenerator(seed: 2))
        let images = g(Tensor.randn([3, 16], generator: RandomGenerator(seed: 3)))
        #expect(images.shape == [3, 1, 28, 28])
        #expect(images.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(d(images).shape == [3])
        // 16*6272+6272 (project) + 2*6272 (norm) + 128*64*16+64 + 2*64 + 64*16+1
        #expect(g.parameterCount == 16 * 6272 + 6272 + 2 * 6272 + 128 * 64 * 16 + 64 + 2 * 64 + 64 * 16 + 1)
        let c = DigitClassifier(generator: RandomGenerator(seed: 4))
        #expect(c(images).shape == [3, 10] && c.features(images).shape == [3, 128])
        let described = c.describe(images)
        for row in 0..<3 { #expect(abs(described.probabilities.scalars[(row * 10)..<(row * 10 + 10)].reduce(0, +) - 1) < 1e-5) }
    }

    @Test func discriminatorLearnsToSeparateRealFromGenerated() {
        // Real images are bright squares; one discriminator step after another must lower its loss.
        var real = [Float](repeating: 0, count: 8 * 784)
        for i in 0..<8 { for y in 8..<20 { for x in 8..<20 { real[i * 784 + y * 28 + x] = 1 } } }
        let trainer = DCGANTrainer(noiseSize: 16, seed: 5)
        let first = trainer.step(real: Tensor(real, shape: [8, 1, 28, 28])).discriminator
        var last = first
        for _ in 0..<15 { last = trainer.step(real: Tensor(real, shape: [8, 1, 28, 28])).discriminator }
        #expect(first.isFinite && last.isFinite && last < first)
    }
}
