import Graft
import GraftNN

extension DANNTrainer: Resumable {
    /// The model, the optimizer and the steps taken (which set λ_p and μ_p of the next step).
    public func resumableState() -> ResumableState {
        var state = ResumableState([("model", model.resumableState()), ("optimizer", optimizer.resumableState())])
        state.texts["stepsTaken"] = String(stepsTaken)
        return state
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.texts["stepsTaken"], let steps = Int(text), steps >= 0 else {
            throw ResumableStateError("a DANN trainer's saved step count is missing or malformed")
        }
        try model.restore(state.part("model"))
        try optimizer.restore(state.part("optimizer"))
        stepsTaken = steps
    }
}
