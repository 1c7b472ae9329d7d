import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftLabs

@Suite struct FineTuneLabTests {
    @Test func quickRunComparesEveryStartAndRegulariser() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-finetune-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(FineTuneLab(), options: LabOptions(quick: true, seed: 1, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "\(name)").value }
        #expect(try value("source accuracy") > 70 && value("source accuracy") <= 100)
        // Ten-way digits with ten labels per class: every condition beats chance (10%) by far.
        for condition in FineTuneLab.conditions(layers: 3).map(\.rawValue) {
            let v = try value("\(condition) accuracy")
            #expect(v > 30 && v <= 100, "\(condition): \(v)")
            // One seed in quick mode: no spread.
            #expect(try value("\(condition) accuracy std") == 0)
        }
        // Starting from MNIST's network beats starting from scratch on the 8x8 digits.
        #expect(try value("fine-tune accuracy") > value("scratch accuracy"))
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        for text in ["Target accuracy with 10 labels per class", "L2-SP", "freeze first 3", "<svg"] { #expect(html.contains(text), "\(text)") }
    }

    @Test func upsampledDigitsSitInMNISTsFrame() throws {
        let digits = try Digits8x8.load()
        let set = LabeledSet.upsampled(digits)
        #expect(set.images.shape == [1797, 784] && set.labels.scalars == digits.labels.scalars)
        let pixels = set.images.scalars
        #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        // The 4-pixel border is empty, as in MNIST; the 20x20 box is not.
        let first = Array(pixels[0..<784])
        let border = (0..<784).filter { let r = $0 / 28, c = $0 % 28; return r < 4 || r >= 24 || c < 4 || c >= 24 }
        #expect(border.allSatisfy { first[$0] == 0 })
        #expect(first.reduce(0, +) > 10)
        // A corner of the box repeats the 8x8 corner pixel (clamped bilinear sampling).
        #expect(abs(first[4 * 28 + 4] - digits.images.scalars[0]) < 1e-6)
    }
}
