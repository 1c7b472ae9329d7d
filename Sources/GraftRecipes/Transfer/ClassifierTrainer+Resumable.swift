import Graft
import GraftNN

extension ClassifierTrainer: Resumable {
    /// Adam's state and the step count. The parameters belong to the modules the trainer was given;
    /// a lab tracks those modules itself.
    public func resumableState() -> ResumableState {
        ResumableState([("optimizer", optimizer.resumableState()), ("steps", ResumableState(texts: ["count": String(stepsTaken)]))])
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.part("steps").texts["count"], let steps = Int(text) else {
            throw ResumableStateError("a classifier trainer's saved step count is missing or malformed")
        }
        try optimizer.restore(state.part("optimizer"))
        stepsTaken = steps
    }
}
