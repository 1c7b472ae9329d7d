import Graft
import GraftNN

/// Fine-tuning a transferred model (Yosinski et al. 2014, "How transferable are features in deep
/// neural networks?"; the course's recipe): the transferred backbone trains at a fraction of the
/// new head's learning rate, η_backbone = factor · η_head with factor ≈ 0.1, or not at all
/// (frozen: its parameters get no gradient, so no optimizer step moves them).
///
/// Layers of a `Sequential` are addressed by index: layer i owns the parameters named `i.…`.
public enum FineTuning {
    /// Two parameter groups: everything outside `headPrefixes` (the backbone) at
    /// `learningRate * backboneFactor`, the parameters under `headPrefixes` at `learningRate`.
    /// Frozen parameters are left out; an empty group is dropped. The backbone group comes first.
    public static func parameterGroups(_ model: Module, headPrefixes: [String], learningRate: Float,
                                       backboneFactor: Float = 0.1, weightDecay: Float = 0) -> [ParameterGroup] {
        let trainable = model.namedParameters().filter { $0.tensor.requiresGrad }
        let head = trainable.filter { isUnder($0.name, headPrefixes) }
        let backbone = trainable.filter { !isUnder($0.name, headPrefixes) }
        return [ParameterGroup(backbone, learningRate: learningRate * backboneFactor, weightDecay: weightDecay),
                ParameterGroup(head, learningRate: learningRate, weightDecay: weightDecay)]
            .filter { !$0.parameters.isEmpty }
    }

    /// Parameter groups for a `Sequential` whose last `headLayers` layers are the new head:
    /// the earlier layers at `learningRate * backboneFactor`, the head at `learningRate`.
    public static func parameterGroups(_ model: Sequential, headLayers: Int, learningRate: Float,
                                       backboneFactor: Float = 0.1, weightDecay: Float = 0) throws -> [ParameterGroup] {
        let n = model.layers.count
        guard headLayers >= 0 && headLayers <= n else { throw TransferError.layerOutOfRange(what: "a head of \(headLayers) layers", layers: n) }
        return parameterGroups(model, headPrefixes: ((n - headLayers)..<n).map(String.init), learningRate: learningRate,
                               backboneFactor: backboneFactor, weightDecay: weightDecay)
    }

    /// One group per layer that has trainable parameters, discriminative rates as in ULMFiT
    /// (Howard and Ruder 2018): layer i of L trains at `learningRate * decay^(L-1-i)`, so the last
    /// layer gets `learningRate` and each earlier layer `decay` times the next one's rate.
    public static func layerwiseGroups(_ model: Sequential, learningRate: Float, decay: Float, weightDecay: Float = 0) -> [ParameterGroup] {
        let n = model.layers.count
        let trainable = model.namedParameters().filter { $0.tensor.requiresGrad }
        var rate = learningRate
        var perLayer: [ParameterGroup] = []
        for i in stride(from: n - 1, through: 0, by: -1) {
            let params = trainable.filter { isUnder($0.name, [String(i)]) }
            if !params.isEmpty { perLayer.append(ParameterGroup(params, learningRate: rate, weightDecay: weightDecay)) }
            rate *= decay
        }
        return perLayer.reversed()
    }

    /// Freezes the layers at `indices` of `model`: their parameters stop requiring gradients.
    public static func freeze(layers indices: Range<Int>, of model: Sequential) throws {
        try check(indices, model)
        for i in indices { model.freeze(prefix: String(i)) }
    }

    /// Freezes the first `n` layers of `model` (the transferred backbone).
    public static func freeze(first n: Int, of model: Sequential) throws {
        guard n >= 0 && n <= model.layers.count else {
            throw TransferError.layerOutOfRange(what: "the first \(n) layers", layers: model.layers.count)
        }
        try freeze(layers: 0..<n, of: model)
    }

    /// Lets the layers at `indices` train again (gradual unfreezing).
    public static func unfreeze(layers indices: Range<Int>, of model: Sequential) throws {
        try check(indices, model)
        for i in indices { model.unfreeze(prefix: String(i)) }
    }

    /// The indices of the layers that have parameters and none of them trainable.
    public static func frozenLayers(of model: Sequential) -> [Int] {
        model.layers.indices.filter { i in
            let params = (model.layers[i] as Module).parameters()
            return !params.isEmpty && params.allSatisfy { !$0.requiresGrad }
        }
    }

    static func check(_ indices: Range<Int>, _ model: Sequential) throws {
        guard indices.lowerBound >= 0 && indices.upperBound <= model.layers.count else {
            throw TransferError.layerOutOfRange(what: "layers \(indices.lowerBound)..<\(indices.upperBound)", layers: model.layers.count)
        }
    }

    /// Whether a dotted parameter path lies under one of `prefixes` (or is one of them).
    static func isUnder(_ name: String, _ prefixes: [String]) -> Bool {
        prefixes.contains { name == $0 || name.hasPrefix($0 + ".") }
    }
}
