import Graft

/// Why a state dictionary could not be loaded into a module.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    /// A key's tensor has a different shape from the module's.
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    /// Strict loading found keys missing from the dictionary and/or keys the module lacks.
    case keysMismatch(missing: [String], unexpected: [String])

    /// A message naming the keys and shapes.
    public var description: String {
        switch self {
        case let .shapeMismatch(key, expected, found):
            return "cannot load '\(key)': the module has shape \(expected), the state dictionary \(found)"
        case let .keysMismatch(missing, unexpected):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing keys: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
            return "state dictionary does not match the module (" + parts.joined(separator: "; ") + ")"
        }
    }
}

/// What a non-strict load left out.
public struct LoadReport: Equatable, Sendable {
    /// Module keys the dictionary did not have (left unchanged).
    public var missingKeys: [String]
    /// Dictionary keys the module does not have (ignored).
    public var unexpectedKeys: [String]
}

extension Module {
    /// Parameters and buffers by dotted path, in module order (the tensors themselves, not copies).
    public func namedState() -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        visit(prefix: "") { prefix, _, r in
            for (n, t) in r.parameters { out.append((prefix + n, t)) }
            for (n, t) in r.buffers { out.append((prefix + n, t)) }
        }
        return out
    }

    /// Parameters and buffers by dotted path, like `torch.nn.Module.state_dict()`.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedState().map { ($0.name, $0.tensor.detach()) }, uniquingKeysWith: { a, _ in a })
    }

    /// Copies values from `state` into this module's tensors, in place. Every shape is
    /// checked before anything is copied, so a refused load changes nothing. With `strict`,
    /// missing or unexpected keys are refused too; otherwise they are reported.
    @discardableResult
    public func load(stateDict state: [String: Tensor], strict: Bool = true) throws -> LoadReport {
        let own = namedState()
        let ownKeys = Set(own.map(\.name))
        let missing = own.map(\.name).filter { state[$0] == nil }
        let unexpected = state.keys.filter { !ownKeys.contains($0) }.sorted()
        if strict && (!missing.isEmpty || !unexpected.isEmpty) {
            throw StateDictError.keysMismatch(missing: missing, unexpected: unexpected)
        }
        for (name, t) in own {
            if let v = state[name], v.shape != t.shape {
                throw StateDictError.shapeMismatch(key: name, expected: t.shape, found: v.shape)
            }
        }
        noGrad {
            for (name, t) in own { if let v = state[name] { t.assign(v) } }
        }
        return LoadReport(missingKeys: missing, unexpectedKeys: unexpected)
    }
}
