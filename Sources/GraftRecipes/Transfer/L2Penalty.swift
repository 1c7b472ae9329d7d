import Graft
import GraftNN

/// Plain L2 regularisation, the baseline L2-SP is compared with (Li et al. 2018, eq. 1):
/// Ω(w) = λ/2 ‖w‖², which pulls every parameter towards zero and so, during fine-tuning,
/// away from what the source task learned. Its gradient is λ w.
public struct L2Penalty {
    /// The coefficient λ.
    public let coefficient: Float
    /// Paths left out of the penalty (a prefix covers everything under it), e.g. biases' layers.
    public let excludedPrefixes: [String]

    /// λ/2 ‖w‖² over every parameter not under `excludedPrefixes`.
    public init(coefficient: Float, excludedPrefixes: [String] = []) {
        self.coefficient = coefficient
        self.excludedPrefixes = excludedPrefixes
    }

    /// Ω(w) for the current parameters of `model`, recorded for autodiff (a scalar).
    public func penalty(of model: Module) -> Tensor {
        var total = Tensor(0)
        for (name, w) in model.namedParameters() where !FineTuning.isUnder(name, excludedPrefixes) {
            total = total + (coefficient / 2) * w.square().sum()
        }
        return total
    }
}
