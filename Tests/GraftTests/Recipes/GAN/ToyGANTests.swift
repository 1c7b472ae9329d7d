import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct ToyGANTests {
    @Test func mixturesHaveTheirModesAndSpread() {
        #expect(ToyMixture.ring.centres.count == 8 && ToyMixture.grid.centres.count == 25)
        for c in ToyMixture.ring.centres { #expect(abs((c * c).sum().squareRoot() - 2) < 1e-12) }
        let points = ToyMixture.grid.sample(2000, generator: RandomGenerator(seed: 1)).scalars
        // Every sample lies within 5 std of a grid point.
        for i in 0..<2000 {
            let x = Double(points[2 * i]), y = Double(points[2 * i + 1])
            let nearest = ToyMixture.grid.centres.map { ($0.x - x) * ($0.x - x) + ($0.y - y) * ($0.y - y) }.min()!
            #expect(nearest.squareRoot() < 5 * 0.05)
        }
    }

    /// One mode at (1, -1): the generator's mean must move there from near the origin.
    @Test(arguments: ["GAN", "PacGAN2", "MBD", "WGAN-GP", "OT-GAN"])
    func aGANLearnsASingleGaussian(label: String) {
        let target = ToyMixture(centres: [SIMD2(1, -1)], std: 0.1, name: "one")
        do {
            var settings = ToyGANSettings()
            settings.hidden = 32
            settings.batchSize = 64
            switch label {
            case "PacGAN2": settings.pack = 2
            case "MBD": settings.minibatchDiscrimination = true
            case "WGAN-GP": settings.loss = .wasserstein; settings.gradientPenalty = 1
            case "OT-GAN": settings.optimalTransport = true
            default: break
            }
            #expect(settings.label == label)
            let trainer = ToyGANTrainer(settings: settings, data: target, seed: 3)
            for _ in 0..<400 { trainer.step() }
            let mean = trainer.sample(500).mean(axis: 0).scalars
            #expect(abs(mean[0] - 1) < 0.25 && abs(mean[1] + 1) < 0.25, "\(label): generator mean \(mean)")
        }
    }
}
