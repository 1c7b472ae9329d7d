/// What a backward function receives: the gradient of the output, the op's inputs, and
/// which of them need a gradient.
public struct BackwardContext {
    /// The gradient flowing into the op's output (same shape as the output).
    public let grad: Tensor
    /// The op's tensor inputs, in the order the op was given them.
    public let inputs: [Tensor]
    /// For each input, whether its gradient is wanted (skip the work for the others).
    public let needsGrad: [Bool]
    /// True when the backward pass is itself being recorded (gradients of gradients):
    /// backward functions must then compute with differentiable ops on `inputs`.
    public let createGraph: Bool
    let savedOutput: TensorStorage?
    let outputShape: [Int]
    /// Where slice-like backward functions deposit window gradients (first-order only).
    let windows: WindowGradients?

    /// The op's output values, outside the graph (only for ops that saved it).
    public var output: Tensor {
        guard let savedOutput else { fatalError("Graft internal error: this op did not save its output") }
        return Tensor(shape: outputShape, storage: savedOutput)
    }
}

/// Window gradients handed to the engine instead of full-size tensors: the gradient of a
/// slice is zero outside its window, so the engine adds the window into one buffer per input
/// rather than allocating, filling and adding a full-size tensor for every slice (an LSTM
/// that slices T time steps out of one tensor would otherwise cost O(T²)).
final class WindowGradients {
    /// (input index, gradient of the window, window starts and steps per axis).
    var pending: [(input: Int, grad: Tensor, starts: [Int], steps: [Int])] = []
}

/// One recorded operation: its inputs and how to turn an output gradient into input gradients.
final class GradNode {
    /// The op's name, for error messages ("matmul", "conv2d", ...).
    let name: String
    /// The op's tensor inputs (kept alive until the graph is freed).
    var inputs: [Tensor]
    /// The output's values, when the backward function needs them.
    var savedOutput: TensorStorage?
    /// The vector-Jacobian product.
    var backward: ((BackwardContext) -> [Tensor?])?
    /// Set once `backward()` has freed this node.
    var isFreed = false

    init(name: String, inputs: [Tensor], savedOutput: TensorStorage?, backward: @escaping (BackwardContext) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.savedOutput = savedOutput
        self.backward = backward
    }

    /// Drops the inputs and the backward function, so the memory of the graph is returned.
    func free() {
        inputs = []
        savedOutput = nil
        backward = nil
        isFreed = true
    }

    /// Releases a chain of nodes without recursion: each node's inputs that would die with it
    /// hand their own nodes to a work list instead of releasing them from inside a deinit.
    static func releaseIteratively(_ slot: inout GradNode?) {
        guard isKnownUniquelyReferenced(&slot) else { slot = nil; return }
        var work: [GradNode] = [slot!]
        slot = nil
        while let node = work.popLast() {
            var inputs = node.inputs
            node.inputs = []
            while var t = inputs.popLast() {
                if isKnownUniquelyReferenced(&t), t.node != nil, isKnownUniquelyReferenced(&t.node) {
                    work.append(t.node!)
                    t.node = nil
                }
            }
        }
    }
}

extension Tensor {
    /// Attaches a recorded operation to `out` when recording is on and an input requires
    /// gradients; otherwise returns `out` unchanged. Backward functions must not capture
    /// tensors that are part of a graph (use `ctx.inputs`/`ctx.output`), or releasing deep
    /// graphs would recurse.
    @inline(__always)
    static func record(_ out: Tensor, op: String, inputs: [Tensor], saveOutput: Bool = false,
                       backward: @escaping (BackwardContext) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled else { return out }
        var any = false
        for t in inputs where t._requiresGrad { any = true; break }
        guard any else { return out }
        out.node = GradNode(name: op, inputs: inputs, savedOutput: saveOutput ? out.storage : nil, backward: backward)
        out._requiresGrad = true
        return out
    }
}
