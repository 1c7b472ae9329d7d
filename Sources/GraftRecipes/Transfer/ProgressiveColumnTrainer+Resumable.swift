import Graft
import GraftNN

extension ProgressiveColumnTrainer: Resumable {
    /// The whole network (every column, frozen ones included) and the column's classifier trainer
    /// (Adam and its step count).
    public func resumableState() -> ResumableState {
        ResumableState([("network", network.resumableState()), ("classifier", classifier.resumableState())])
    }

    /// Restores what `resumableState()` saved; the network must have as many columns as when it was saved.
    public func restore(_ state: ResumableState) throws {
        try network.restore(state.part("network"))
        try classifier.restore(state.part("classifier"))
    }
}
