import Foundation
import Graft
import GraftNN

/// What a training step sees: its number, and the run's record to log into. Points logged
/// here are replayed when a resumed run reaches the loop again, so a lab logs its curves
/// through the step, not through the context, inside a loop.
public final class LoopStep {
    /// The step, from 0.
    public private(set) var index = 0
    /// The step, from 1 (what curves and messages show).
    public var number: Int { index + 1 }
    /// The loop's length.
    public let steps: Int
    /// Whether this is the loop's last step.
    public var isLast: Bool { index == steps - 1 }
    fileprivate var journal: [RecordEntry]
    private let context: LabContext

    fileprivate init(context: LabContext, steps: Int, journal: [RecordEntry]) {
        self.context = context
        self.steps = steps
        self.journal = journal
    }

    fileprivate func advance(to index: Int) { self.index = index }

    /// Records a headline figure (as `LabContext.metric`).
    public func metric(_ name: String, _ value: Double, unit: String = "", paper: Double? = nil, note: String? = nil,
                       tolerance: Double? = nil) {
        write(.headline(Headline(name: name, value: value, unit: unit, paper: paper, note: note, tolerance: tolerance)))
    }

    func write(_ entry: RecordEntry) {
        journal.append(entry)
        context.apply(entry)
    }
}

extension LabContext {
    /// Runs the training loop `name` for `steps` steps: the one loop every lab trains through.
    ///
    /// `body` runs one step and returns its losses by name; a loss that is not finite stops the
    /// run with `NonFiniteLoss` before anything is saved. After each step the loop shows
    /// progress and, when a stop was requested (Ctrl-C), saves the state of every object in
    /// `tracking` (models, optimizers, random generators, trainers, `Tracked` values) and throws
    /// `LabInterrupted`; it also saves that state every `checkpointInterval` seconds, so that
    /// even a killed run loses little. A run resumed with `--resume` restores the objects when
    /// it reaches the loop again and continues at the saved step; a loop that had finished is
    /// not run again: its objects get their final state and its logged points are replayed.
    ///
    /// Everything the steps change and later code reads must be tracked; names must be unique
    /// within a run (e.g. "DANN, seed 1").
    public func train(_ name: String, steps: Int, tracking: KeyValuePairs<String, any Resumable>,
                      _ body: (LoopStep) throws -> KeyValuePairs<String, Double>) throws {
        guard steps >= 0 else { throw LabError("the training loop '\(name)' was asked for \(steps) steps") }
        try claimLoopName(name)
        var start = 0
        var journal: [RecordEntry] = []
        if let saved = checkpoints.snapshot(name) {
            guard saved.steps == steps else {
                throw LabError("--resume: the checkpoint's loop '\(name)' has \(saved.steps) steps, this run \(steps); "
                               + "the run's sizes changed since it was saved")
            }
            let names = tracking.map(\.key)
            guard saved.states.map(\.name) == names else {
                throw LabError("--resume: the checkpoint's loop '\(name)' saved \(saved.states.map(\.name)), this run tracks \(names)")
            }
            for ((key, object), state) in zip(tracking, saved.states.map(\.state)) {
                do { try object.restore(state) } catch {
                    throw LabError("--resume: '\(key)' of the loop '\(name)' does not fit the checkpoint: \(error)")
                }
            }
            for entry in saved.journal { apply(entry) }
            start = saved.step
            journal = saved.journal
            countSteps(start, of: steps, loop: name, losses: [:])
            if saved.done { return }
        }
        let handle = LoopStep(context: self, steps: steps, journal: journal)
        var lastSave = Date()
        func snapshot(done: Bool, step: Int) {
            let states = tracking.map { (name: $0.key, state: $0.value.resumableState().copied()) }
            checkpoints.put(LoopSnapshot(name: name, step: step, steps: steps, done: done, states: states, journal: handle.journal))
        }
        try Interrupt.duringLoop {
            for index in start..<steps {
                handle.advance(to: index)
                let losses = try body(handle)
                for (lossName, value) in losses where !value.isFinite {
                    throw NonFiniteLoss(loop: name, step: index + 1, steps: steps, loss: lossName, value: value)
                }
                countSteps(1, of: steps, loop: name, losses: losses)
                if shouldStop() {
                    snapshot(done: index + 1 == steps, step: index + 1)
                    throw LabInterrupted(checkpoint: nil)
                }
                if Date().timeIntervalSince(lastSave) >= checkpointInterval && index + 1 < steps {
                    snapshot(done: false, step: index + 1)
                    try writeCheckpoint()
                    lastSave = Date()
                }
            }
            snapshot(done: true, step: steps)
            // Written now, so that an interruption outside the loops loses nothing.
            try writeCheckpoint()
        }
    }
}
