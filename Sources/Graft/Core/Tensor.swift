/// An n-dimensional array of Float32 values in row-major order that records the operations
/// applied to it, so that gradients can be computed in reverse mode (`backward()`).
///
/// Tensors are reference types, like `torch.Tensor` and `MLXArray`: operations return new
/// tensors and never change their inputs; optimizers change parameters in place through
/// `withUnsafeMutableBufferPointer`. `reshape` returns a tensor that shares storage.
public final class Tensor {
    /// The size of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The number of elements (the product of `shape`).
    public let count: Int
    /// The values, shared between a tensor and its reshaped views.
    let storage: TensorStorage
    /// How this tensor was computed, when it was computed from tensors that require gradients.
    var node: GradNode?
    var _requiresGrad: Bool = false

    /// The accumulated gradient of a leaf tensor after `backward()`.
    public var grad: Tensor?

    /// Wraps existing storage (internal: kernels allocate storage, then wrap it).
    init(shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.count = Shapes.count(shape)
        precondition(storage.count >= count, "Graft internal error: storage of \(storage.count) elements for shape \(shapeString(shape))")
        self.storage = storage
    }

    /// Allocates an uninitialised tensor (internal: every kernel writes all of its output).
    convenience init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: Shapes.count(shape)))
    }

    deinit {
        // Release long chains of graph nodes iteratively: a recursive release would
        // overflow the stack for graphs of 100k operations.
        if node != nil { GradNode.releaseIteratively(&node) }
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// Whether gradients are computed for this tensor. Settable on leaves (tensors not computed
    /// by a recorded operation), like `requires_grad_` in PyTorch.
    public var requiresGrad: Bool {
        get { _requiresGrad }
        set {
            if node != nil && !newValue {
                graftFatal(ShapeError(op: "requiresGrad", "cannot turn off gradients of a computed tensor; use detach()"))
            }
            _requiresGrad = newValue
        }
    }

    /// Whether this tensor is a leaf of the graph (created by the user, not by a recorded op).
    public var isLeaf: Bool { node == nil }

    /// Sets `requiresGrad` and returns the tensor, for chaining: `Tensor.randn([3]).requiringGrad()`.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// A tensor sharing this one's values but outside the graph: gradients stop here.
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// All values in row-major order.
    public var scalars: [Float] {
        backend.withHostBuffer(self) { Array($0) }
    }

    /// The single value of a one-element tensor.
    public var item: Float {
        if count != 1 { graftFatal(ShapeError(op: "item", "needs a tensor with one element, got shape \(shapeString(shape))")) }
        return backend.withHostBuffer(self) { $0[0] }
    }

    /// The value at a multi-dimensional index.
    public subscript(_ index: Int...) -> Float {
        let i = checked { () throws(ShapeError) in try flatIndex(index) }
        return backend.withHostBuffer(self) { $0[i] }
    }

    /// The row-major offset of a multi-dimensional index, or an error naming the index and shape.
    func flatIndex(_ index: [Int]) throws(ShapeError) -> Int {
        guard index.count == shape.count else {
            throw ShapeError(op: "subscript", "index \(index) has \(index.count) components for shape \(shapeString(shape))")
        }
        var off = 0
        for (i, d) in shape.enumerated() {
            guard index[i] >= 0 && index[i] < d else {
                throw ShapeError(op: "subscript", "index \(index) is out of range for shape \(shapeString(shape))")
            }
            off = off * d + index[i]
        }
        return off
    }

    /// Read access to the values.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try backend.withHostBuffer(self) { try body(UnsafeBufferPointer($0)) }
    }

    /// Write access to the values, in place (for optimizers and data loading). Changing values
    /// that a recorded operation saved for its backward pass changes that backward pass.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try backend.withHostBuffer(self, body)
    }

    /// Adds `other` (same shape) into this tensor's values in place, unrecorded.
    func addInPlace(_ other: Tensor) { backend.addInPlace(self, other) }

    /// Copies `other`'s values into this tensor in place (shapes must have the same count).
    public func assign(_ other: Tensor) {
        if other.count != count {
            graftFatal(ShapeError(op: "assign", "cannot assign a tensor of shape \(shapeString(other.shape)) to one of shape \(shapeString(shape))"))
        }
        backend.assign(self, from: other)
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and the first values, e.g. `Tensor([2, 3]) [1.0, 2.0, ...]`.
    public var description: String {
        let shown = Swift.min(count, 12)
        var parts = withUnsafeBufferPointer { p in (0..<shown).map { String(p[$0]) } }
        if count > shown { parts.append("... \(count - shown) more") }
        return "Tensor(\(shapeString(shape))) [" + parts.joined(separator: ", ") + "]" + (requiresGrad ? " requiresGrad" : "")
    }
}
