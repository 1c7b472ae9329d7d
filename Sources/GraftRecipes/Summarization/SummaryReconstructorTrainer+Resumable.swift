import Graft
import GraftNN

extension SummaryReconstructorTrainer: ResumableComposite {
    /// The reconstructor's model and copy gate, Adam, the model's dropout generator and the step count.
    public var resumableParts: [(name: String, part: any Resumable)] {
        var parts: [(name: String, part: any Resumable)] = [
            ("model", reconstructor.model), ("optimizer", optimizer), ("dropout", reconstructor.model.dropout.generator),
            ("steps", ResumableValue(get: { self.stepsTaken }, set: { self.stepsTaken = $0 }))]
        if let gate = reconstructor.copyGate { parts.append(("gate", gate)) }
        return parts
    }
}
