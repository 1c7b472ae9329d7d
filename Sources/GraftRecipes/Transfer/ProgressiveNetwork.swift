import Graft
import GraftNN

/// A non-linear lateral adapter of a progressive network (Rusu et al. 2016, "Progressive neural
/// networks", eq. 2): a(h) = U σ(V (α h^(<k))), where h^(<k) is the concatenation of the previous
/// columns' activations at the layer below, α a learned scalar that adjusts for their scale
/// (initialised to a small random value), V a projection onto a smaller space and U the map into
/// the new column's layer.
public final class LateralAdapter: Module {
    /// The learned input scale α, shape [1].
    public var scale: Tensor
    /// V: from the concatenated earlier activations to the adapter's hidden layer.
    public let projection: Linear
    /// U: from the adapter's hidden layer to the receiving layer (no bias: the layer has one).
    public let output: Linear

    /// An adapter from `inputSize` concatenated activations through `hiddenSize` to `outputSize`.
    public init(inputSize: Int, hiddenSize: Int, outputSize: Int, generator: RandomGenerator = .global) {
        scale = Tensor([0.01 + 0.09 * generator.nextFloat()]).requiringGrad()
        projection = Linear(inputSize, hiddenSize, generator: generator)
        output = Linear(hiddenSize, outputSize, bias: false, generator: generator)
        super.init()
    }

    /// U σ(V (α h)) for the concatenated earlier activations `h` [N, inputSize].
    public func callAsFunction(_ h: Tensor) -> Tensor {
        output(projection(h * scale).relu())
    }
}

/// One column of a progressive network: a multilayer perceptron whose layers above the first
/// also receive lateral adapters from every earlier column. State keys are `layers.i.…` and
/// `adapters.i.…` (adapters exist for i ≥ 1 in columns after the first).
public final class ProgressiveColumn: Module {
    /// The column's own layers W_i^(k), the last one its task's output.
    public let layers: [Linear]
    /// The adapter into each layer (nil for layer 0 and for the first column).
    public let adapters: [LateralAdapter?]

    /// A column with the given layers and adapters (one adapter slot per layer).
    public init(layers: [Linear], adapters: [LateralAdapter?]) {
        precondition(layers.count == adapters.count, "\(layers.count) layers but \(adapters.count) adapter slots")
        self.layers = layers
        self.adapters = adapters
        super.init()
    }

    /// The layers and the adapters, named by layer index.
    public override var customChildren: [(name: String, module: Module)]? {
        layers.enumerated().map { ("layers.\($0.offset)", $0.element as Module) }
            + adapters.enumerated().compactMap { i, a in a.map { ("adapters.\(i)", $0 as Module) } }
    }
}

/// A progressive network (Rusu et al. 2016): one column per task, trained in order. Adding a
/// column freezes every earlier one, so what earlier tasks learned cannot be forgotten, and the
/// new column reuses their features through lateral adapters (eq. 2):
///
///     h_i^(k) = f(W_i^(k) h_{i−1}^(k) + U_i^(k:j) σ(V_i^(k:j) α_{i−1}^(<k) h_{i−1}^(<k))),
///
/// with f = ReLU on hidden layers and the identity on each column's output layer, h_0 = x.
/// State keys are `columns.k.…`.
public final class ProgressiveNetwork: Module {
    /// The size of the input every column reads.
    public let inputSize: Int
    /// The widths of the hidden layers, the same in every column.
    public let hiddenSizes: [Int]
    /// The adapters' hidden size; nil means the width of the layer below (the paper's choice,
    /// a projection of the k−1 earlier columns onto the size of one).
    public let adapterSize: Int?
    /// The columns, one per task, in the order they were added.
    public private(set) var columns: [ProgressiveColumn] = []
    /// The output size of each column.
    public private(set) var outputSizes: [Int] = []

    /// An empty network; add a column per task with `addColumn`.
    public init(inputSize: Int, hiddenSizes: [Int], adapterSize: Int? = nil) {
        precondition(inputSize > 0 && hiddenSizes.allSatisfy { $0 > 0 },
                     "ProgressiveNetwork needs positive sizes, got \(inputSize) and \(hiddenSizes)")
        precondition(adapterSize.map { $0 > 0 } ?? true, "adapterSize must be positive")
        self.inputSize = inputSize
        self.hiddenSizes = hiddenSizes
        self.adapterSize = adapterSize
        super.init()
    }

    /// Adds a column for a new task with `outputSize` outputs, freezing every existing column;
    /// returns the new column's index.
    @discardableResult
    public func addColumn(outputSize: Int, generator: RandomGenerator = .global) -> Int {
        precondition(outputSize > 0, "a column needs a positive output size, got \(outputSize)")
        for c in columns { c.freeze() }
        let k = columns.count
        let widths = [inputSize] + hiddenSizes + [outputSize]
        var layers: [Linear] = []
        var adapters: [LateralAdapter?] = []
        for i in 1..<widths.count {
            layers.append(Linear(widths[i - 1], widths[i], generator: generator))
            if i >= 2 && k > 0 {
                let below = widths[i - 1]
                adapters.append(LateralAdapter(inputSize: k * below, hiddenSize: adapterSize ?? below, outputSize: widths[i], generator: generator))
            } else {
                adapters.append(nil)
            }
        }
        columns.append(ProgressiveColumn(layers: layers, adapters: adapters))
        outputSizes.append(outputSize)
        return k
    }

    /// The output of column `column` (its task's logits) for inputs [N, inputSize].
    public func callAsFunction(_ x: Tensor, column: Int) -> Tensor {
        precondition(column >= 0 && column < columns.count, "column \(column) is outside 0..<\(columns.count)")
        // h[j] holds column j's activation at the layer below the one being computed.
        var h = [Tensor](repeating: x, count: column + 1)
        let depth = hiddenSizes.count + 1
        for i in 0..<depth {
            let last = i == depth - 1
            // Hidden layers are needed for every column up to `column`; the output layer only for it.
            let active = last ? column...column : 0...column
            var next = h
            for j in active {
                var pre = columns[j].layers[i](h[j])
                if let adapter = columns[j].adapters[i] {
                    let earlier = j == 1 ? h[0] : Tensor.concat(Array(h[0..<j]), axis: -1)
                    pre = pre + adapter(earlier)
                }
                next[j] = last ? pre : pre.relu()
            }
            h = next
        }
        return h[column]
    }

    /// The columns, named by index.
    public override var customChildren: [(name: String, module: Module)]? {
        columns.enumerated().map { ("columns.\($0.offset)", $0.element as Module) }
    }
}
