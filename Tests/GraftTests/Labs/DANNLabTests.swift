import Foundation
import Testing
@testable import Graft
@testable import GraftLabs

@Suite struct DANNLabTests {
    @Test func quickRunComparesTheThreeMethodsAndDrawsTheFeatures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lab-dann-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabRunner.run(DANNLab(), options: LabOptions(quick: true, seed: 1, threads: 2),
                                        folder: folder, showProgress: false)
        func value(_ name: String) throws -> Double { try #require(outcome.metrics.first { $0.name == name }, "\(name)").value }
        for m in DANNLab.Method.allCases {
            let method = m.rawValue
            let target = try value("\(method) target accuracy"), source = try value("\(method) source accuracy")
            #expect(target >= 0 && target <= 100 && source >= 0 && source <= 100, "\(method): \(target), \(source)")
            // One seed in quick mode: no spread.
            #expect(try value("\(method) target accuracy std") == 0)
            #expect(outcome.metrics.first { $0.name == "\(method) target accuracy" }?.paper == m.paper)
        }
        // Forty steps already learn MNIST well beyond chance (10%).
        #expect(try value("source only source accuracy") > 40)
        // The pixels of the two domains are told apart almost always; the probes are accuracies.
        #expect(try value("raw pixels domain probe") > 90)
        for m in ["source only", "DANN"] {
            let p = try value("\(m) domain probe")
            #expect(p >= 0 && p <= 100, "\(m): \(p)")
        }
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        for text in ["Features before adaptation (source only)", "Features after adaptation (DANN)", "target accuracy", "source (MNIST)", "<svg"] {
            #expect(html.contains(text), "\(text)")
        }
    }

    @Test func projectionLabelsEachDomainAndDANNIndexStreamCyclesThroughEpochs() throws {
        let source = Tensor.randn([30, 6], generator: RandomGenerator(seed: 1))
        let target = Tensor.randn([20, 6], mean: 3, generator: RandomGenerator(seed: 2))
        let points = try DANNLab.projection(source: source, target: target, count: 10)
        #expect(points.count == 20 && points.filter { $0.label == 0 }.count == 10 && points.filter { $0.label == 1 }.count == 10)
        // Centred: the projected points average to zero.
        #expect(abs(points.map(\.x).reduce(0, +)) < 1e-4)
        let stream = DANNIndexStream(count: 10, batch: 4, seed: 3)
        let batches = (0..<4).map { _ in stream.next() }
        // Two full batches per epoch (the short one is dropped); each epoch's indices are distinct.
        #expect(batches.allSatisfy { $0.count == 4 })
        #expect(Set(batches[0] + batches[1]).count == 8 && Set(batches[2] + batches[3]).count == 8)
    }
}
