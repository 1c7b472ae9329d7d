import Graft
import GraftNN

extension MultitaskTrainer: ResumableComposite {
    /// The model, Adam and the step count, so a resumed run continues the same training.
    public var resumableParts: [(name: String, part: any Resumable)] {
        [("model", model), ("optimizer", optimizer), ("steps", ResumableValue(get: { self.stepsTaken }, set: { self.stepsTaken = $0 }))]
    }
}
