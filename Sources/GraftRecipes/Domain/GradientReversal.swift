import Graft
import GraftNN

/// The gradient reversal layer of Ganin and Lempitsky (2015, "Unsupervised Domain Adaptation
/// by Backpropagation", eq. 13): R(x) = x forward, dR/dx = -λI backward. Put between a feature
/// extractor and a domain classifier, it lets the classifier learn to tell the domains apart
/// while the features beneath it learn to make that impossible. It has no parameters; λ is
/// set before each step (the trainer follows `DANNSchedule.lambda`).
public final class GradientReversal: Module, UnaryLayer {
    /// The factor λ: the backward pass multiplies the upstream gradient by -λ.
    public var lambda: Float

    /// A reversal layer with factor `lambda` (1 by default).
    public init(lambda: Float = 1) {
        self.lambda = lambda
        super.init()
    }

    /// `x` unchanged; its gradient comes back multiplied by -λ (through `Tensor.custom`).
    public func callAsFunction(_ x: Tensor) -> Tensor { x.gradientReversal(scale: lambda) }
}
