import Graft
import GraftNN

extension ClassifierTrainer: ResumableComposite {
    /// Adam's state and the step count. The parameters belong to the modules the trainer was given;
    /// a lab tracks those modules itself.
    public var resumableParts: [(name: String, part: any Resumable)] {
        [("optimizer", optimizer), ("steps", ResumableValue(get: { self.stepsTaken }, set: { self.stepsTaken = $0 }))]
    }
}
