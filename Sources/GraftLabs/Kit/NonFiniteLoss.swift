/// A training loss became NaN or infinite: the loop stopped before the optimizer used it, and
/// the last checkpoint written before that step is kept. The one error every lab's training
/// loop throws for this.
public struct NonFiniteLoss: Error, CustomStringConvertible, Equatable {
    /// The training loop's name, e.g. "DANN, seed 1".
    public let loop: String
    /// The step (from 1) whose loss was not finite.
    public let step: Int
    /// The loop's length in steps.
    public let steps: Int
    /// Which loss ("loss" when the step reports one).
    public let loss: String
    /// The value it took.
    public let value: Double

    /// "'DANN, seed 1': the training loss became nan at step 17 of 2000; ...".
    public var description: String {
        let which = loss == "loss" ? "the training loss" : "the training loss '\(loss)'"
        return "'\(loop)': \(which) became \(value) at step \(step) of \(steps); the last checkpoint is kept"
    }
}
