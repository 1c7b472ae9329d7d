/// The reverse-mode engine: topological order by an iterative traversal, gradients
/// accumulated in reverse order, the graph freed afterwards.
enum Autodiff {
    /// Tensors reachable from `roots` through recorded ops, inputs before the ops that use them.
    static func topologicalOrder(_ roots: [Tensor]) -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = []
        for root in roots where root._requiresGrad && visited.insert(ObjectIdentifier(root)).inserted {
            stack.append((root, 0))
            while !stack.isEmpty {
                let (t, next) = stack[stack.count - 1]
                if let node = t.node {
                    if node.isFreed {
                        graftFatal(ShapeError(op: "backward",
                                              "the graph through '\(node.name)' was already freed by an earlier backward(); "
                                              + "pass retainGraph: true to the first call"))
                    }
                    if next < node.inputs.count {
                        stack[stack.count - 1].1 = next + 1
                        let input = node.inputs[next]
                        if input._requiresGrad && visited.insert(ObjectIdentifier(input)).inserted {
                            stack.append((input, 0))
                        }
                        continue
                    }
                }
                order.append(t)
                stack.removeLast()
            }
        }
        return order
    }

    /// Propagates `rootGrads` from `roots` to every tensor that needs a gradient.
    /// With `targets`, returns their gradients and leaves `.grad` alone; without, accumulates
    /// into the `.grad` of every leaf that requires gradients.
    static func run(roots: [Tensor], rootGrads: [Tensor], targets: [Tensor]?,
                    retainGraph: Bool, createGraph: Bool) -> [ObjectIdentifier: Tensor] {
        let order = topologicalOrder(roots)
        var needed = Set<ObjectIdentifier>()
        if let targets {
            let targetIDs = Set(targets.map(ObjectIdentifier.init))
            for t in order {
                let id = ObjectIdentifier(t)
                if targetIDs.contains(id) || (t.node?.inputs.contains { needed.contains(ObjectIdentifier($0)) } ?? false) {
                    needed.insert(id)
                }
            }
        } else {
            for t in order { needed.insert(ObjectIdentifier(t)) }
        }

        var grads: [ObjectIdentifier: Tensor] = [:]
        // Gradient buffers the engine allocated itself: safe to add into in place.
        var owned = Set<ObjectIdentifier>()
        let windows: WindowGradients? = createGraph ? nil : WindowGradients()
        GradMode.with(enabled: createGraph) {
            for (root, g) in zip(roots, rootGrads) where root._requiresGrad {
                accumulate(&grads, &owned, ObjectIdentifier(root), g, inPlace: false)
            }
            for t in order.reversed() {
                let id = ObjectIdentifier(t)
                guard needed.contains(id), let g = grads[id] else { continue }
                if let node = t.node {
                    let needs = node.inputs.map { needed.contains(ObjectIdentifier($0)) && $0._requiresGrad }
                    guard needs.contains(true), let fn = node.backward else { continue }
                    let ctx = BackwardContext(grad: g, inputs: node.inputs, needsGrad: needs, createGraph: createGraph,
                                              savedOutput: node.savedOutput, outputShape: t.shape, windows: windows)
                    let inputGrads = fn(ctx)
                    for (i, input) in node.inputs.enumerated() where needs[i] {
                        guard let ig = inputGrads[i] else { continue }
                        if ig.shape != input.shape {
                            fatalError("Graft internal error: backward of '\(node.name)' returned a gradient of shape "
                                       + "\(shapeString(ig.shape)) for an input of shape \(shapeString(input.shape))")
                        }
                        accumulate(&grads, &owned, ObjectIdentifier(input), ig, inPlace: !createGraph)
                    }
                    if let windows, !windows.pending.isEmpty {
                        for w in windows.pending where needs[w.input] {
                            addWindow(&grads, &owned, node.inputs[w.input], w.grad, w.starts, w.steps)
                        }
                        windows.pending.removeAll(keepingCapacity: true)
                    }
                    if targets != nil && !(targets!.contains { $0 === t }) { grads[id] = nil }
                } else if targets == nil {
                    let leafGrad = createGraph ? g : g.detach()
                    t.grad = t.grad.map { ($0 + leafGrad) } ?? leafGrad
                }
            }
        }
        if !retainGraph && !createGraph {
            for t in order { t.node?.free() }
        }
        return grads
    }

    /// Adds `g` to the gradient collected so far for `id`: in place into a buffer the engine
    /// owns when allowed (first-order passes), else into a new tensor (which it then owns).
    @inline(__always)
    static func accumulate(_ grads: inout [ObjectIdentifier: Tensor], _ owned: inout Set<ObjectIdentifier>,
                           _ id: ObjectIdentifier, _ g: Tensor, inPlace: Bool) {
        guard let existing = grads[id] else { grads[id] = g; return }
        if inPlace && owned.contains(id) && existing.shape == g.shape {
            existing.addInPlace(g)
        } else {
            grads[id] = existing + g
            owned.insert(id)
        }
    }

    /// Adds the gradient of a window of `input` into its gradient buffer.
    static func addWindow(_ grads: inout [ObjectIdentifier: Tensor], _ owned: inout Set<ObjectIdentifier>,
                          _ input: Tensor, _ g: Tensor, _ starts: [Int], _ steps: [Int]) {
        let id = ObjectIdentifier(input)
        let buffer: Tensor
        if let existing = grads[id] {
            buffer = owned.contains(id) ? existing : existing.copy()
        } else {
            buffer = Tensor.zeros(input.shape)
        }
        grads[id] = buffer
        owned.insert(id)
        let strides = Shapes.strides(input.shape)
        let base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        buffer.backend.stridedScatter(g, into: buffer, base: base, strides: zip(steps, strides).map { $0 * $1 }, accumulate: true)
    }
}

extension Tensor {
    /// Computes the gradient of this tensor with respect to every leaf that requires
    /// gradients and adds it to their `grad`. A non-scalar tensor needs an upstream
    /// `gradient` of its own shape. The graph is freed afterwards unless `retainGraph`;
    /// with `createGraph` the gradients are themselves recorded (gradients of gradients).
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) {
        guard _requiresGrad else {
            graftFatal(ShapeError(op: "backward",
                                  "this tensor does not require gradients: no input of its computation had requiresGrad = true, "
                                  + "or it was computed inside noGrad"))
        }
        let seed: Tensor
        if let gradient {
            if gradient.shape != shape {
                graftFatal(ShapeError(op: "backward",
                                      "upstream gradient of shape \(shapeString(gradient.shape)) for a tensor of shape \(shapeString(shape))"))
            }
            seed = gradient
        } else {
            if count != 1 {
                graftFatal(ShapeError(op: "backward",
                                      "needs a scalar (one element) or an explicit upstream gradient, got shape \(shapeString(shape))"))
            }
            seed = Tensor.ones(shape)
        }
        _ = Autodiff.run(roots: [self], rootGrads: [seed], targets: nil, retainGraph: retainGraph, createGraph: createGraph)
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

/// The gradients of `outputs` (seeded with `gradOutputs`, ones for scalars by default) with
/// respect to `inputs`, without touching any `.grad`, like `torch.autograd.grad`. An input
/// that the outputs do not depend on gets zeros. With `createGraph` the returned gradients
/// are recorded, so a function of them (a gradient penalty) can itself be differentiated.
public func grad(of outputs: [Tensor], wrt inputs: [Tensor], gradOutputs: [Tensor]? = nil,
                 retainGraph: Bool? = nil, createGraph: Bool = false) -> [Tensor] {
    let seeds: [Tensor] = gradOutputs ?? outputs.map { out in
        if out.count != 1 {
            graftFatal(ShapeError(op: "grad(of:wrt:)", "output of shape \(shapeString(out.shape)) needs an explicit gradOutputs entry"))
        }
        return Tensor.ones(out.shape)
    }
    if seeds.count != outputs.count {
        graftFatal(ShapeError(op: "grad(of:wrt:)", "\(outputs.count) outputs but \(seeds.count) gradOutputs"))
    }
    for (o, s) in zip(outputs, seeds) where o.shape != s.shape {
        graftFatal(ShapeError(op: "grad(of:wrt:)",
                              "gradOutputs entry of shape \(shapeString(s.shape)) for an output of shape \(shapeString(o.shape))"))
    }
    let grads = Autodiff.run(roots: outputs, rootGrads: seeds, targets: inputs,
                             retainGraph: retainGraph ?? createGraph, createGraph: createGraph)
    return inputs.map { grads[ObjectIdentifier($0)] ?? Tensor.zeros($0.shape) }
}

/// The gradient of a scalar `output` with respect to one `input`.
public func grad(of output: Tensor, wrt input: Tensor, createGraph: Bool = false) -> Tensor {
    grad(of: [output], wrt: [input], createGraph: createGraph)[0]
}
