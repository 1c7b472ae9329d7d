import Graft
import GraftNN

extension DANNTrainer: ResumableComposite {
    /// The model, the optimizer and the steps taken (which set λ_p and μ_p of the next step).
    public var resumableParts: [(name: String, part: any Resumable)] {
        let steps = ResumableValue(get: { self.stepsTaken }, set: { (steps: Int) in
            guard steps >= 0 else { throw ResumableStateError("a DANN trainer's saved step count is negative: \(steps)") }
            self.stepsTaken = steps
        })
        return [("model", model), ("optimizer", optimizer), ("steps", steps)]
    }
}
