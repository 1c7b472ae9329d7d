import Foundation
import Testing
@testable import GraftLabs

@Suite struct SeedSweepTests {
    enum Method: String, LabMethod {
        case plain = "plain", tuned = "tuned"
        var paper: Double? { self == .tuned ? 90 : nil }
    }

    @Test func runsEveryMethodForEverySeedInOrderAndRecordsMeanAndSpread() throws {
        var order: [String] = []
        let sweep = SeedSweep<Method, Double>.run(seeds: [7, 8, 9]) { method, seed, k in
            order.append("\(method.rawValue) \(seed) \(k)")
            return (method == .plain ? 10 : 80) + Double(k) * 2
        }
        #expect(order == ["plain 7 0", "tuned 7 0", "plain 8 1", "tuned 8 1", "plain 9 2", "tuned 9 2"])
        #expect(sweep[.tuned] == [80, 82, 84])
        #expect(sweep.mean(.tuned, { $0 }) == 82)
        #expect(sweep.meanStd(.plain, { $0 }).std == 2)   // values 10, 12, 14: sample std 2
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-sweep-\(UUID().uuidString)")
        let context = LabContext(lab: "sweep", options: LabOptions(quick: true, seed: 7, threads: 1), folder: folder, showProgress: false)
        sweep.record("accuracy", unit: "%", of: { $0 }, detail: "held out", recordStd: true, in: context)
        let metrics = context.record.metrics
        #expect(metrics.map(\.name) == ["plain accuracy", "plain accuracy std", "tuned accuracy", "tuned accuracy std"])
        #expect(metrics[2].value == 82 && metrics[2].paper == 90 && metrics[0].paper == nil)
        #expect(metrics[2].note == "held out; ± 2.00 over 3 seeds")
        #expect(metrics[3].value == 2)
    }

    @Test func aCurveHandleLogsUnderItsNameAndLabels() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-curve-\(UUID().uuidString)")
        let context = LabContext(lab: "curve", options: LabOptions(quick: true, seed: 1, threads: 1), folder: folder, showProgress: false)
        let loss = context.curve("loss", x: "step", y: "nats")
        context.log(loss, series: "a", x: 1, y: 2)
        context.log(loss, series: "b", x: 1, y: 3)
        context.log(loss, series: "a", x: 2, y: 1)
        let curve = try #require(context.record.curves.first)
        #expect(curve.name == "loss" && curve.xLabel == "step" && curve.yLabel == "nats")
        #expect(curve.order == ["a", "b"] && curve.series["a"] == [[1, 2], [2, 1]])
    }
}
