import Foundation
import Synchronization
import Testing
@testable import Graft
@testable import GraftLabs

@Suite struct ParallelRunsTests {
    func context(stop: @escaping @Sendable () -> Bool = { false }) -> LabContext {
        LabContext(lab: "parallel", options: LabOptions(quick: true, seed: 0, threads: 2),
                   folder: FileManager.default.temporaryDirectory.appendingPathComponent("graft-parallel-\(UUID().uuidString)"),
                   showProgress: false, stopRequested: stop)
    }

    /// A small seeded computation that uses the thread pool (a matrix product).
    static func work(_ i: Int) -> [Float] {
        let g = RandomGenerator(seed: UInt64(i))
        let a = Tensor.randn([64, 48], generator: g), b = Tensor.randn([48, 32], generator: g)
        return a.matmul(b).sum(axis: 0).scalars
    }

    @Test func resultsComeBackInIndexOrderAndDoNotDependOnTheWorkers() throws {
        let serial = (0..<7).map(Self.work)
        for workers in [1, 2, 3, 9] {
            let results = try ParallelRuns.map(7, workers: workers, totalSteps: 7, context: context(), note: "test") { i, control in
                control.tick()
                return Self.work(i)
            }
            #expect(results == serial, "workers \(workers)")
        }
    }

    @Test func eachRunSeesASingleThreadedPool() throws {
        let counts = try ParallelRuns.map(4, workers: 2, totalSteps: 4, context: context(), note: "test") { _, _ in
            ComputeThreads.count
        }
        #expect(counts == [1, 1, 1, 1])
    }

    @Test func theFirstFailingRunsErrorIsRethrownAfterTheOthersFinish() {
        final class Counter: Sendable { let value = Atomic<Int>(0) }
        let finished = Counter()
        #expect {
            _ = try ParallelRuns.map(6, workers: 2, totalSteps: 6, context: context(), note: "test") { i, _ in
                defer { finished.value.add(1, ordering: .relaxed) }
                if i == 2 || i == 4 { throw LabError("run \(i) failed") }
                return i
            }
        } throws: { error in
            (error as? LabError)?.message == "run 2 failed"
        }
        #expect(finished.value.load(ordering: .relaxed) == 6)
    }

    @Test func aStopRequestReachesTheRuns() {
        #expect(throws: LabInterrupted.self) {
            _ = try ParallelRuns.map(2, workers: 2, totalSteps: 2, context: context(stop: { true }), note: "test") { _, control in
                let start = Date()
                while !control.stopped {
                    if Date().timeIntervalSince(start) > 10 { return 0 }   // the stop never arrived
                    usleep(1_000)
                }
                throw LabInterrupted(checkpoint: nil)
            }
        }
    }
}
