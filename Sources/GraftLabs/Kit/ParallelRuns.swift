import Foundation
import Graft
import Synchronization

/// Runs a lab's independent training runs (one per variant and seed) side by side, one per
/// thread, each with a single-threaded thread pool. Small models (a 2-D GAN's MLPs) gain little
/// from splitting one GEMM across cores, so two whole runs at once nearly halve the wall time.
/// Every run computes exactly what it computes alone on one thread, so the results do not
/// depend on how many runs go at once.
///
/// The calling thread shows progress (the sum of the steps the runs report through `tick`)
/// and asks the runs to stop when the lab's stop is requested; `stopped` tells a run to return.
enum ParallelRuns {
    /// What a run sees: `tick()` after each step, `stopped` to poll.
    final class Control: @unchecked Sendable {
        fileprivate let done = Atomic<Int>(0)
        fileprivate let stop = Atomic<Bool>(false)
        /// Counts `steps` steps (one by default) towards the progress bar.
        func tick(_ steps: Int = 1) { done.add(steps, ordering: .relaxed) }
        /// True once the lab asked to stop; the run should throw `LabInterrupted`.
        var stopped: Bool { stop.load(ordering: .relaxed) }
    }

    /// Results (or errors) of the runs by index, filled by the worker threads.
    private final class Board<Result>: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var results: [Swift.Result<Result, any Error>?]
        init(count: Int) { results = Array(repeating: nil, count: count) }
    }

    /// Runs `run(i, control)` for i in 0..<count on `min(workers, count)` threads, in index
    /// order as threads free up, and returns the results in index order. `totalSteps` and
    /// `note` drive `context.progress`. The first failing run's error (by index) is rethrown
    /// after every thread has finished.
    static func map<Result>(_ count: Int, workers: Int, totalSteps: Int, context: LabContext, note: String,
                            _ run: @escaping @Sendable (Int, Control) throws -> Result) throws -> [Result] {
        let control = Control()
        // Training loops on the workers count their steps and poll the stop flag through `control`.
        context.parallel = control
        defer { context.parallel = nil }
        let board = Board<Result>(count: count)
        let threads = max(1, min(workers, count))
        let finished = DispatchSemaphore(value: 0)
        for t in 0..<threads {
            let thread = Thread {
                ComputeThreads.with(1) {
                    while true {
                        board.lock.lock()
                        let i = board.next
                        board.next += 1
                        board.lock.unlock()
                        guard i < count, !control.stopped else { break }
                        let outcome = Swift.Result { try run(i, control) }
                        board.lock.lock()
                        board.results[i] = outcome
                        board.lock.unlock()
                    }
                }
                finished.signal()
            }
            thread.name = "graft.lab.run\(t)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        // Off a terminal the bar prints at whole tenths only, so the polled count is rounded
        // down to one; each value is shown once.
        let tenth = max(1, totalSteps / 10)
        var running = threads, shown = -1
        while running > 0 {
            if finished.wait(timeout: .now() + .milliseconds(250)) == .success { running -= 1 }
            let done = control.done.load(ordering: .relaxed)
            let step = Progress.interactive || done >= totalSteps ? done : done / tenth * tenth
            if step != shown && step > 0 {
                context.progress(step: step, of: totalSteps, note: note)
                shown = step
            }
            if context.stopRequested() { control.stop.store(true, ordering: .relaxed) }
        }
        return try board.results.enumerated().map { i, outcome in
            guard let outcome else {
                if control.stopped { throw LabInterrupted(checkpoint: nil) }
                throw LabError("\(note): run \(i) did not finish")
            }
            return try outcome.get()
        }
    }
}
