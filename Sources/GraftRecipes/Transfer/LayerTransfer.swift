import Graft
import GraftNN

/// Layer transfer (Yosinski et al. 2014; the course's "which layers to copy" question): the
/// parameters and buffers of chosen layers of a trained source `Sequential` are copied into a
/// target `Sequential`, optionally frozen there; the other target layers keep their own
/// (random) initialisation. Copying the first n layers transfers general low-level features,
/// copying the last n transfers the task-specific top (for tasks with the same output space).
///
/// Every key and shape is checked before anything is copied, so a refused copy changes nothing.
public enum LayerTransfer {
    /// Copies layers 0..<n of `source` into layers 0..<n of `target`; returns the copied keys
    /// (the target's dotted paths), in order. With `freeze`, the copied layers stop training.
    @discardableResult
    public static func copy(first n: Int, from source: Sequential, into target: Sequential, freeze: Bool = false) throws -> [String] {
        guard n >= 0 && n <= source.layers.count && n <= target.layers.count else {
            throw TransferError.layerOutOfRange(what: "copying the first \(n) layers", layers: min(source.layers.count, target.layers.count))
        }
        return try copy(pairs: (0..<n).map { ($0, $0) }, from: source, into: target, freeze: freeze)
    }

    /// Copies the last `n` layers of `source` into the last `n` layers of `target` (the models
    /// may differ in depth: the layers are matched from the end).
    @discardableResult
    public static func copy(last n: Int, from source: Sequential, into target: Sequential, freeze: Bool = false) throws -> [String] {
        let s = source.layers.count, t = target.layers.count
        guard n >= 0 && n <= s && n <= t else {
            throw TransferError.layerOutOfRange(what: "copying the last \(n) layers", layers: min(s, t))
        }
        return try copy(pairs: (0..<n).map { (s - n + $0, t - n + $0) }, from: source, into: target, freeze: freeze)
    }

    /// Copies source layer `pair.source` into target layer `pair.target` for each pair.
    @discardableResult
    public static func copy(pairs: [(source: Int, target: Int)], from source: Sequential, into target: Sequential,
                            freeze: Bool = false) throws -> [String] {
        var plan: [(key: String, from: Tensor, to: Tensor)] = []
        for (si, ti) in pairs {
            guard si >= 0 && si < source.layers.count else {
                throw TransferError.layerOutOfRange(what: "source layer \(si)", layers: source.layers.count)
            }
            guard ti >= 0 && ti < target.layers.count else {
                throw TransferError.layerOutOfRange(what: "target layer \(ti)", layers: target.layers.count)
            }
            let from = (source.layers[si] as Module).namedState(), to = (target.layers[ti] as Module).namedState()
            let fromByName = Dictionary(from.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
            let toNames = Set(to.map(\.name))
            if let extra = from.first(where: { !toNames.contains($0.name) }) {
                throw TransferError.missingKey(key: "\(ti).\(extra.name)", in: "target")
            }
            for (name, t) in to {
                let key = "\(ti).\(name)"
                guard let s = fromByName[name] else { throw TransferError.missingKey(key: "\(si).\(name)", in: "source") }
                guard s.shape == t.shape else { throw TransferError.shapeMismatch(key: key, source: s.shape, target: t.shape) }
                plan.append((key, s, t))
            }
        }
        noGrad {
            for step in plan { step.to.assign(step.from) }
        }
        if freeze {
            for (_, ti) in pairs { target.freeze(prefix: String(ti)) }
        }
        return plan.map(\.key)
    }
}
