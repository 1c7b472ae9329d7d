import Graft
import GraftNN

extension ProgressiveColumnTrainer: ResumableComposite {
    /// The whole network (every column, frozen ones included) and the column's classifier trainer
    /// (Adam and its step count); the network must have as many columns as when it was saved.
    public var resumableParts: [(name: String, part: any Resumable)] {
        [("network", network), ("classifier", classifier)]
    }
}
