import Graft

/// A lookup table of vectors, [numEmbeddings, dim], initialised N(0, 1) like PyTorch; the
/// row at `paddingIndex` starts at zero and gets no gradient.
public final class Embedding: Module {
    /// The table.
    public var weight: Tensor
    /// The index whose vector stays zero (padding), if any.
    public let paddingIndex: Int?

    /// A table of `count` vectors of size `dim`.
    public init(_ count: Int, _ dim: Int, paddingIndex: Int? = nil, generator: RandomGenerator = .global) {
        precondition(count > 0 && dim > 0, "Embedding needs positive sizes, got \(count) x \(dim)")
        if let p = paddingIndex { precondition(p >= 0 && p < count, "paddingIndex \(p) is outside 0..<\(count)") }
        weight = Init.normal([count, dim], generator: generator)
        self.paddingIndex = paddingIndex
        super.init()
        if let p = paddingIndex {
            let keep = Embedding.keepMask(rows: count, dropping: p).expand([count, dim])
            weight.assign(noGrad { Tensor.where(keep, weight, Tensor(0)) })
        }
    }

    /// Vectors for whole-number `indices` of any shape: indices.shape + [dim].
    public func callAsFunction(_ indices: Tensor) -> Tensor {
        guard let p = paddingIndex, weight.requiresGrad, GradMode.isEnabled else { return weight.embedding(indices) }
        // The padding row's gradient is dropped by a custom vjp on the table.
        let dim = weight.shape[1]
        let table = Tensor.custom(name: "paddedTable", inputs: [weight], forward: { $0[0] }) { g, _, _ in
            let mask = Embedding.keepMask(rows: g.shape[0], dropping: p)
            return [g * mask.expand([g.shape[0], dim])]
        }
        return table.embedding(indices)
    }
}

extension Embedding {
    /// A [rows, 1] column of ones with a zero at `row`.
    fileprivate static func keepMask(rows: Int, dropping row: Int) -> Tensor {
        1 - Tensor.oneHot(Tensor([Float(row)]), classes: rows).reshape([rows, 1])
    }
}

/// Inverted dropout, active only in training mode.
public final class Dropout: Module, UnaryLayer {
    /// The probability of zeroing an element.
    public let p: Float
    /// The generator of the masks.
    public let generator: RandomGenerator

    /// Dropout with probability `p`.
    public init(_ p: Float = 0.5, generator: RandomGenerator = .global) {
        precondition((0...1).contains(p), "Dropout probability must be in [0, 1], got \(p)")
        self.p = p
        self.generator = generator
        super.init()
    }

    /// Applies dropout in training mode, the identity in evaluation mode.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.dropout(p: p, training: isTraining, generator: generator) }
}

/// Merges axes startAxis...endAxis (by default all but the batch axis).
public final class Flatten: Module, UnaryLayer {
    let startAxis: Int, endAxis: Int
    /// A flattening layer.
    public init(startAxis: Int = 1, endAxis: Int = -1) { self.startAxis = startAxis; self.endAxis = endAxis; super.init() }
    /// Applies the layer.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.flatten(startAxis: startAxis, endAxis: endAxis) }
}

/// Layers applied one after another.
public final class Sequential: Module, UnaryLayer {
    /// The layers, named `0`, `1`, ... in the state dictionary (PyTorch's convention).
    public var layers: [any UnaryLayer]

    /// Chains `layers`.
    public init(_ layers: [any UnaryLayer]) { self.layers = layers; super.init() }

    /// Chains the given layers.
    public convenience init(_ layers: any UnaryLayer...) { self.init(layers) }

    /// Applies each layer in turn.
    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }

    /// The layers, named by position.
    public override var customChildren: [(name: String, module: Module)]? {
        layers.enumerated().map { (String($0.offset), $0.element as Module) }
    }
}
