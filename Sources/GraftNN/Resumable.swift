import Foundation
import Graft

/// What a checkpoint keeps of one object that training changes: tensors (weights, moments)
/// and short texts (a random generator's state, a JSON value), each by key.
public struct ResumableState {
    /// Tensors by key (a module's dotted parameter paths, an optimizer's "path.slot").
    public var tensors: [String: Tensor]
    /// Texts by key.
    public var texts: [String: String]

    /// A state of `tensors` and `texts`.
    public init(tensors: [String: Tensor] = [:], texts: [String: String] = [:]) {
        self.tensors = tensors
        self.texts = texts
    }

    /// `parts` merged into one state, each part's keys prefixed "name." (for a trainer that
    /// holds several models, optimizers and generators).
    public init(_ parts: [(name: String, state: ResumableState)]) {
        var tensors: [String: Tensor] = [:], texts: [String: String] = [:]
        for (name, part) in parts {
            for (k, v) in part.tensors { tensors[name + "." + k] = v }
            for (k, v) in part.texts { texts[name + "." + k] = v }
        }
        self.init(tensors: tensors, texts: texts)
    }

    /// The part saved under `name` by `init(_ parts:)`.
    public func part(_ name: String) -> ResumableState {
        let prefix = name + "."
        func strip<V>(_ d: [String: V]) -> [String: V] {
            Dictionary(uniqueKeysWithValues: d.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
        }
        return ResumableState(tensors: strip(tensors), texts: strip(texts))
    }

    /// A deep copy: the tensors no longer share storage with the live objects.
    public func copied() -> ResumableState {
        ResumableState(tensors: tensors.mapValues { $0.copy() }, texts: texts)
    }
}

/// Why a saved training state could not be restored.
public struct ResumableStateError: Error, CustomStringConvertible {
    /// What did not fit, naming the key.
    public let message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// An object whose training state a checkpoint saves and restores exactly: models, optimizers,
/// random generators, a recipe's trainer, a lab's running values. Restoring happens in place,
/// so every holder of the object continues from the saved state.
public protocol Resumable: AnyObject {
    /// The state now (tensors may share storage with the object; the caller copies).
    func resumableState() -> ResumableState
    /// Restores a state that `resumableState()` returned, checking every key and shape before
    /// changing anything; throws naming what does not fit.
    func restore(_ state: ResumableState) throws
}

extension Module: Resumable {
    /// The state dict: parameters and buffers by dotted path.
    public func resumableState() -> ResumableState { ResumableState(tensors: stateDict()) }
    /// Loads the state dict strictly (missing, unexpected or misshapen keys are refused).
    public func restore(_ state: ResumableState) throws { try load(stateDict: state.tensors, strict: true) }
}

extension Optimizer: Resumable {
    /// The optimizer's slots, step count and learning rates.
    public func resumableState() -> ResumableState { ResumableState(tensors: stateDict()) }
    /// Restores slots, step count and learning rates.
    public func restore(_ state: ResumableState) throws { try load(stateDict: state.tensors) }
}

extension RandomGenerator: Resumable {
    /// The generator's state as text.
    public func resumableState() -> ResumableState { ResumableState(texts: ["state": stateText]) }
    /// Continues from the saved state.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.texts["state"], restore(stateText: text) else {
            throw ResumableStateError("a random generator's saved state is missing or malformed")
        }
    }
}

/// A value a training loop builds up step by step (a learning curve, a running sum, a
/// baseline), kept in checkpoints as JSON so that a resumed loop continues it exactly.
public final class Tracked<Value: Codable>: Resumable {
    /// The value.
    public var value: Value

    /// A tracked value starting at `value`.
    public init(_ value: Value) { self.value = value }

    /// The value as JSON.
    public func resumableState() -> ResumableState {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return ResumableState(texts: ["json": json])
    }

    /// Decodes the saved JSON.
    public func restore(_ state: ResumableState) throws {
        guard let json = state.texts["json"] else { throw ResumableStateError("a tracked value has no saved JSON") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { value = try decoder.decode(Value.self, from: Data(json.utf8)) } catch {
            throw ResumableStateError("a tracked \(Value.self) does not decode from its saved JSON: \(error)")
        }
    }
}
