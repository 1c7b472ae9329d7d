import Graft

/// The base class of layers and models, like `torch.nn.Module` and `MLXNN.Module`.
///
/// A subclass declares its parameters as stored `Tensor` properties and its sub-modules as
/// `Module` properties (or arrays of them); Graft finds both by reflection and names them
/// with dotted paths from the property names: `encoder.layers.0.weight`. Buffers (state that
/// is saved but not trained, such as BatchNorm's running statistics) are declared with
/// `@Buffer`. Tensors that are neither (constants, caches) belong in other types of property.
open class Module {
    /// Whether the module is in training mode (dropout active, batch statistics used).
    public private(set) var isTraining = true

    /// An empty module.
    public init() {}

    // MARK: - Structure

    /// The module's own parameters (not its children's), in declaration order.
    public var ownParameters: [(name: String, tensor: Tensor)] { reflect().parameters }

    /// The module's own buffers, in declaration order.
    public var ownBuffers: [(name: String, tensor: Tensor)] { reflect().buffers }

    /// The direct sub-modules, in declaration order (`layers.0`, `layers.1` for arrays).
    public var children: [(name: String, module: Module)] { customChildren ?? reflect().children }

    /// A container overrides this to name its children differently (Sequential: `0`, `1`, ...);
    /// nil means the children reflection finds.
    open var customChildren: [(name: String, module: Module)]? { nil }

    /// Every parameter of this module and its descendants, with dotted paths.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        visit(prefix: "") { prefix, _, r in
            for (n, t) in r.parameters { out.append((prefix + n, t)) }
        }
        return out
    }

    /// Every parameter tensor.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// The parameters that are not frozen.
    public func trainableParameters() -> [Tensor] { parameters().filter(\.requiresGrad) }

    /// Every buffer of this module and its descendants, with dotted paths.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        visit(prefix: "") { prefix, _, r in
            for (n, t) in r.buffers { out.append((prefix + n, t)) }
        }
        return out
    }

    /// This module and every descendant, with dotted paths ("" for this module).
    public func namedModules() -> [(name: String, module: Module)] {
        var out: [(String, Module)] = []
        visit(prefix: "") { prefix, m, _ in out.append((prefix.isEmpty ? "" : String(prefix.dropLast()), m)) }
        return out
    }

    /// The total number of parameter elements (trainable or frozen).
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Visits this module and its descendants depth-first, parents before children, each with
    /// the dotted prefix of its names ("" or "encoder.") and what reflection found on it
    /// (computed once per module: reflection is the costly part of a walk).
    func visit(prefix: String, _ body: (String, Module, Reflection) -> Void) {
        var stack: [(String, Module)] = [(prefix, self)]
        var seen = Set<ObjectIdentifier>()
        while let (p, m) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(m)).inserted else { continue }
            let r = m.reflect()
            body(p, m, r)
            for (n, c) in (m.customChildren ?? r.children).reversed() { stack.append((p + n + ".", c)) }
        }
    }

    // MARK: - Modes

    /// Sets training mode on this module and all descendants; returns self for chaining.
    @discardableResult
    public func train(_ on: Bool = true) -> Self {
        visit(prefix: "") { _, m, _ in m.isTraining = on }
        return self
    }

    /// Sets evaluation mode on this module and all descendants.
    @discardableResult
    public func eval() -> Self { train(false) }

    // MARK: - Freezing

    /// Stops gradients for every parameter of this module (layer transfer), or for those
    /// whose path starts with `prefix`.
    public func freeze(prefix: String = "") { setTrainable(false, prefix: prefix) }

    /// Lets gradients flow again to every parameter, or to those under `prefix`.
    public func unfreeze(prefix: String = "") { setTrainable(true, prefix: prefix) }

    func setTrainable(_ on: Bool, prefix: String) {
        for (name, t) in namedParameters() where prefix.isEmpty || name == prefix || name.hasPrefix(prefix.hasSuffix(".") ? prefix : prefix + ".") {
            t.requiresGrad = on
            if !on { t.grad = nil }
        }
    }

    /// Clears the gradient of every parameter.
    public func zeroGrad() { for p in parameters() { p.grad = nil } }

    // MARK: - Reflection

    /// What reflection finds on this instance: parameters, buffers and children.
    struct Reflection {
        var parameters: [(name: String, tensor: Tensor)] = []
        var buffers: [(name: String, tensor: Tensor)] = []
        var children: [(name: String, module: Module)] = []
    }

    func reflect() -> Reflection {
        var r = Reflection()
        var mirrors: [Mirror] = []
        var m: Mirror? = Mirror(reflecting: self)
        while let cur = m { mirrors.append(cur); m = cur.superclassMirror }
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard let label = child.label else { continue }
                Module.classify(label, child.value, into: &r)
            }
        }
        return r
    }

    static func classify(_ label: String, _ value: Any, into r: inout Reflection) {
        switch value {
        case let t as Tensor:
            r.parameters.append((label, t))
        case let b as Buffer:
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            if let t = b.wrappedValue { r.buffers.append((name, t)) }
        case let m as Module:
            r.children.append((label, m))
        case let ms as [Module]:
            for (i, m) in ms.enumerated() { r.children.append(("\(label).\(i)", m)) }
        case let ts as [Tensor]:
            for (i, t) in ts.enumerated() { r.parameters.append(("\(label).\(i)", t)) }
        default:
            // Optionals: look through one level.
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let inner = mirror.children.first?.value {
                classify(label, inner, into: &r)
            }
        }
    }
}

/// Marks a tensor property as a buffer: saved in the state dictionary, never trained
/// (BatchNorm's running mean and variance). Assigning replaces the tensor.
@propertyWrapper
public final class Buffer {
    /// The buffer's tensor (nil when a layer has no such state, e.g. BatchNorm without tracking).
    public var wrappedValue: Tensor?

    /// Wraps a tensor.
    public init(wrappedValue: Tensor?) { self.wrappedValue = wrappedValue }
}
