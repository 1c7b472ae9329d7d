import Graft

/// Parameters that share a learning rate and weight decay (a backbone at 0.1x the head's
/// rate is the transfer-learning default), like PyTorch's parameter groups.
public struct ParameterGroup {
    /// The parameters with their dotted paths (the keys of the optimizer's state).
    public var parameters: [(name: String, tensor: Tensor)]
    /// The current learning rate (schedules change it).
    public var learningRate: Float
    /// The rate the group started with (schedules scale it).
    public var initialLearningRate: Float
    /// The weight decay coefficient.
    public var weightDecay: Float

    /// A group of named parameters.
    public init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Float, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.initialLearningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// Why an optimizer state could not be restored.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    /// A saved slot's shape differs from the parameter's.
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    /// The saved state names a slot this optimizer does not use, or a parameter it does not have.
    case unknownKey(String)

    /// A message naming the key.
    public var description: String {
        switch self {
        case let .shapeMismatch(key, expected, found): return "optimizer state '\(key)' has shape \(found), the parameter \(expected)"
        case let .unknownKey(key): return "optimizer state has an unknown key '\(key)'"
        }
    }
}

/// The base of the optimizers: parameter groups, per-parameter state keyed by path, the
/// step loop and state saving. Subclasses implement `update`.
open class Optimizer {
    /// The parameter groups.
    public var groups: [ParameterGroup]
    /// Per-parameter state: path -> slot name -> tensor (momentum buffers, moments).
    public internal(set) var state: [String: [String: Tensor]] = [:]
    /// Steps taken (saved with the state; Adam's bias correction uses it).
    public internal(set) var stepCount = 0

    /// An optimizer over `groups`; every parameter path must be unique.
    public init(groups: [ParameterGroup]) {
        var seen = Set<String>()
        for g in groups { for (n, _) in g.parameters { precondition(seen.insert(n).inserted, "parameter '\(n)' appears in two groups") } }
        self.groups = groups
    }

    /// The slots this optimizer keeps per parameter, e.g. ["momentum"] or ["exp_avg", "exp_avg_sq"].
    open var slotNames: [String] { [] }

    /// Updates one parameter in place from its gradient.
    open func update(_ p: Tensor, grad: Tensor, slots: inout [String: Tensor], group: ParameterGroup) {
        fatalError("\(type(of: self)) must implement update")
    }

    /// Applies one update to every parameter that has a gradient, like `optimizer.step()`.
    public func step() {
        stepCount += 1
        noGrad {
            for g in groups {
                for (name, p) in g.parameters {
                    guard let grad = p.grad else { continue }
                    apply(name, p, grad, g)
                }
            }
        }
    }

    /// Applies one update from explicit gradients (from `valueAndGrad`), in group order;
    /// parameters not in `gradients` are left alone.
    public func step(gradients: [ObjectIdentifier: Tensor]) {
        stepCount += 1
        noGrad {
            for g in groups {
                for (name, p) in g.parameters {
                    guard let grad = gradients[ObjectIdentifier(p)] else { continue }
                    apply(name, p, grad, g)
                }
            }
        }
    }

    func apply(_ name: String, _ p: Tensor, _ grad: Tensor, _ g: ParameterGroup) {
        precondition(grad.shape == p.shape, "gradient of shape \(grad.shape) for parameter '\(name)' of shape \(p.shape)")
        var slots = state[name] ?? [:]
        update(p, grad: grad, slots: &slots, group: g)
        state[name] = slots
    }

    /// Clears the gradient of every parameter.
    public func zeroGrad() {
        for g in groups { for (_, p) in g.parameters { p.grad = nil } }
    }

    /// A slot tensor, created as zeros on first use.
    public func slot(_ slots: inout [String: Tensor], _ name: String, like p: Tensor) -> Tensor {
        if let t = slots[name] { return t }
        let t = Tensor.zeros(p.shape)
        slots[name] = t
        return t
    }

    // MARK: - Saving

    /// The state as flat tensors keyed "path.slot", plus "step" — the layout checkpoints store.
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = ["step": Tensor(Float(stepCount))]
        for (name, slots) in state { for (s, t) in slots { out["\(name).\(s)"] = t } }
        for (i, g) in groups.enumerated() { out["group.\(i).lr"] = Tensor(g.learningRate) }
        return out
    }

    /// Restores a state saved by `stateDict()`, checking every key and shape first.
    public func load(stateDict saved: [String: Tensor]) throws {
        var params: [String: Tensor] = [:]
        for g in groups { for (n, p) in g.parameters { params[n] = p } }
        var newState: [String: [String: Tensor]] = [:]
        var newRates: [Int: Float] = [:]
        var newStep = stepCount
        for (key, value) in saved {
            if key == "step" { newStep = Int(value.item); continue }
            if key.hasPrefix("group."), key.hasSuffix(".lr"), let i = Int(key.dropFirst(6).dropLast(3)), i < groups.count {
                newRates[i] = value.item
                continue
            }
            guard let dot = key.lastIndex(of: "."), slotNames.contains(String(key[key.index(after: dot)...])),
                  let p = params[String(key[..<dot])] else { throw OptimizerStateError.unknownKey(key) }
            let name = String(key[..<dot]), slotName = String(key[key.index(after: dot)...])
            guard value.shape == p.shape || (slotName == "step" && value.count == 1) else {
                throw OptimizerStateError.shapeMismatch(key: key, expected: p.shape, found: value.shape)
            }
            newState[name, default: [:]][slotName] = value.copy()
        }
        state = newState
        stepCount = newStep
        for (i, lr) in newRates { groups[i].learningRate = lr }
    }
}

extension Module {
    /// Parameter groups for fine-tuning: parameters under any of `prefixes` at
    /// `learningRate * factor`, the rest at `learningRate` (frozen parameters left out).
    public func parameterGroups(learningRate: Float, weightDecay: Float = 0, slowerPrefixes prefixes: [String], factor: Float) -> [ParameterGroup] {
        let trainable = namedParameters().filter { $0.tensor.requiresGrad }
        func under(_ n: String) -> Bool { prefixes.contains { n == $0 || n.hasPrefix($0 + ".") } }
        return [ParameterGroup(trainable.filter { under($0.name) }, learningRate: learningRate * factor, weightDecay: weightDecay),
                ParameterGroup(trainable.filter { !under($0.name) }, learningRate: learningRate, weightDecay: weightDecay)]
            .filter { !$0.parameters.isEmpty }
    }
}
