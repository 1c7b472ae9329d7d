import Foundation
import Testing
@testable import Graft
@testable import GraftLabs
@testable import GraftMetrics

@Suite struct GANEvalLabTests {
    @Test func memorizerShiftsTrainingDigitsByOneOrTwoPixels() {
        // Digits with an empty 4-pixel border, like MNIST's, so that a shift loses nothing.
        var values = Tensor.uniform([5, 1, 28, 28], generator: RandomGenerator(seed: 1)).scalars
        for i in 0..<values.count where !(4..<24).contains((i % 784) / 28) || !(4..<24).contains(i % 28) { values[i] = 0 }
        let pool = Tensor(values, shape: [5, 1, 28, 28])
        let (images, sources) = GANEvalLab.memorizer(pool, count: 12, seed: 2)
        #expect(images.shape == [12, 1, 28, 28] && sources.count == 12)
        let layout = ImageLayout(height: 28, width: 28)
        for (i, source) in sources.enumerated() {
            let copy = Array(images.scalars[(i * 784)..<((i + 1) * 784)])
            let original = Array(pool.scalars[(source * 784)..<((source + 1) * 784)])
            #expect(copy != original)   // never an unshifted copy
            let match = Memorization.shiftTolerantDistance(copy, original, layout: layout, maxShift: 2)
            #expect(match.distance < 1e-6 && (match.shift.dx != 0 || match.shift.dy != 0))
        }
    }

    @Test func quickRunScoresTheThreeSets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-gan-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(GANEvalLab(), options: LabOptions(quick: true, seed: 0, threads: 2), folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }).value }
        // Held-out real digits are close to the reference; the memorizer is caught only by the shift-tolerant check.
        #expect(try value("held-out real: FID") < value("GAN: FID"))
        #expect(try value("memorizer: closer to training than test is (shift-tolerant)") > 90)
        #expect(try value("memorizer: closer to training than test is (pixels)")
                < value("memorizer: closer to training than test is (shift-tolerant)"))
        #expect(try value("held-out real: classes covered") == 10)
        #expect(try (0...100).contains(value("GAN: precision")) && value("digit classifier test accuracy") > 50)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("GAN samples") && html.contains("Memorizer: copies") && html.contains("Goodfellow et al. 2014"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("digit-classifier.safetensors").path))
    }
}
