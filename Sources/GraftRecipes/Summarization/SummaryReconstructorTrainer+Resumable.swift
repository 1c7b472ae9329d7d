import Graft
import GraftNN

extension SummaryReconstructorTrainer: Resumable {
    /// The reconstructor's model and copy gate, Adam, the model's dropout generator and the step count.
    public func resumableState() -> ResumableState {
        var parts: [(name: String, state: ResumableState)] = [
            ("model", reconstructor.model.resumableState()), ("optimizer", optimizer.resumableState()),
            ("dropout", reconstructor.model.dropout.generator.resumableState()),
            ("steps", ResumableState(texts: ["count": String(stepsTaken)]))]
        if let gate = reconstructor.copyGate { parts.append(("gate", gate.resumableState())) }
        return ResumableState(parts)
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.part("steps").texts["count"], let count = Int(text) else {
            throw ResumableStateError("a summary reconstructor trainer's saved step count is missing or malformed")
        }
        try reconstructor.model.restore(state.part("model"))
        try optimizer.restore(state.part("optimizer"))
        try reconstructor.model.dropout.generator.restore(state.part("dropout"))
        try reconstructor.copyGate?.restore(state.part("gate"))
        stepsTaken = count
    }
}
