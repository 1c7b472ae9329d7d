import Graft
import GraftNN

/// L2-SP (Li, Grandvalet and Davoine 2018, "Explicit inductive bias for transfer learning with
/// convolutional networks", eq. 3): fine-tuning regularised towards the starting point rather
/// than towards zero,
///
///     Ω(w) = α/2 ‖w_S − w_S⁰‖² + β/2 ‖w_S̄‖²,
///
/// where w_S are the transferred parameters, w_S⁰ their values in the source model, and w_S̄ the
/// parameters new to the target model (its head). The gradient is α (w_S − w_S⁰) on the
/// transferred parameters and β w_S̄ on the new ones. Add `penalty(of:)` to the task loss.
public struct L2SP {
    /// The source model's values by dotted path (detached copies taken at construction).
    public let reference: [String: Tensor]
    /// The weight α of the pull towards the source values.
    public let alpha: Float
    /// The weight β of plain L2 decay on the new parameters.
    public let beta: Float
    /// The paths of the transferred parameters (a prefix covers everything under it); nil means
    /// every parameter that `reference` has under the same path and with the same shape.
    public let transferredPrefixes: [String]?

    /// L2-SP towards `reference` (a state dictionary of the source model; it is copied, so later
    /// training of the source does not move the reference).
    public init(reference: [String: Tensor], alpha: Float, beta: Float, transferredPrefixes: [String]? = nil) {
        self.reference = reference.mapValues { $0.detach().copy() }
        self.alpha = alpha
        self.beta = beta
        self.transferredPrefixes = transferredPrefixes
    }

    /// L2-SP towards the current values of `source`.
    public init(source: Module, alpha: Float, beta: Float, transferredPrefixes: [String]? = nil) {
        self.init(reference: source.stateDict(), alpha: alpha, beta: beta, transferredPrefixes: transferredPrefixes)
    }

    /// The parameters of `model` split into transferred ones (with their reference values) and
    /// new ones. Throws when a parameter under `transferredPrefixes` has no reference value of
    /// its shape.
    public func partition(_ model: Module) throws -> (transferred: [(name: String, tensor: Tensor, reference: Tensor)],
                                                      new: [(name: String, tensor: Tensor)]) {
        var transferred: [(name: String, tensor: Tensor, reference: Tensor)] = []
        var new: [(name: String, tensor: Tensor)] = []
        for (name, t) in model.namedParameters() {
            if let prefixes = transferredPrefixes {
                guard FineTuning.isUnder(name, prefixes) else { new.append((name, t)); continue }
                guard let r = reference[name] else { throw TransferError.missingKey(key: name, in: "L2-SP reference") }
                guard r.shape == t.shape else { throw TransferError.shapeMismatch(key: name, source: r.shape, target: t.shape) }
                transferred.append((name, t, r))
            } else if let r = reference[name], r.shape == t.shape {
                transferred.append((name, t, r))
            } else {
                new.append((name, t))
            }
        }
        return (transferred, new)
    }

    /// Ω(w) for the current parameters of `model`, recorded for autodiff (a scalar).
    public func penalty(of model: Module) throws -> Tensor {
        let (transferred, new) = try partition(model)
        var total = Tensor(0)
        if alpha != 0 {
            for (_, w, w0) in transferred { total = total + (alpha / 2) * (w - w0).square().sum() }
        }
        if beta != 0 {
            for (_, w) in new { total = total + (beta / 2) * w.square().sum() }
        }
        return total
    }

    /// ∂Ω/∂w by the closed form, keyed by path: α (w − w⁰) for transferred parameters, β w for new ones.
    public func gradient(of model: Module) throws -> [String: Tensor] {
        let (transferred, new) = try partition(model)
        var out: [String: Tensor] = [:]
        noGrad {
            for (name, w, w0) in transferred { out[name] = alpha * (w - w0) }
            for (name, w) in new { out[name] = beta * w }
        }
        return out
    }
}
