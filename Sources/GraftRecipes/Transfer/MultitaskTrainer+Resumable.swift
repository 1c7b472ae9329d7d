import Graft
import GraftNN

extension MultitaskTrainer: Resumable {
    /// The model, Adam and the step count, so a resumed run continues the same training.
    public func resumableState() -> ResumableState {
        ResumableState([("model", model.resumableState()), ("optimizer", optimizer.resumableState()),
                        ("steps", ResumableState(texts: ["count": String(stepsTaken)]))])
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.part("steps").texts["count"], let steps = Int(text) else {
            throw ResumableStateError("a multitask trainer's saved step count is missing or malformed")
        }
        try model.restore(state.part("model"))
        try optimizer.restore(state.part("optimizer"))
        stepsTaken = steps
    }
}
