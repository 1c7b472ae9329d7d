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

@Suite struct StackedMNISTTests {
    @Test func modesComeFromTheThreeChannels() throws {
        // Ten distinct "digits": image k is k/10 everywhere; a classifier is not needed to make them.
        let images = Tensor((0..<10).flatMap { k in [Float](repeating: Float(k) / 10, count: 784) }, shape: [10, 1, 28, 28])
        let labels = Tensor((0..<10).map { Float($0) })
        let (stacked, modes) = StackedMNIST.make(images: images, labels: labels, count: 50, generator: RandomGenerator(seed: 3))
        #expect(stacked.shape == [50, 3, 28, 28] && modes.count == 50)
        for i in 0..<50 {
            let channelValues = (0..<3).map { Int((stacked.scalars[(i * 3 + $0) * 784] * 10).rounded()) }
            #expect(modes[i] == channelValues[0] * 100 + channelValues[1] * 10 + channelValues[2])
        }
        #expect(Set(modes).count > 40)
        // An untrained classifier still maps every channel to a digit, so every mode is in 0..<1000.
        let predicted = StackedMNIST.modes(of: stacked, classifier: DigitClassifier(generator: RandomGenerator(seed: 1)))
        #expect(predicted.count == 50 && predicted.allSatisfy { (0..<1000).contains($0) })
    }
}
