import Foundation
import Graft

/// A training checkpoint: a model's state, its optimizer's state and the step, in one
/// safetensors file ("model.<path>", "optimizer.<path>.<slot>", metadata "step").
public enum Checkpoint {
    /// The metadata key naming the format version.
    public static let formatKey = "graft.checkpoint"

    /// Saves atomically (a crash never leaves a partial file or loses the previous one).
    public static func save(model: Module, optimizer: Optimizer? = nil, step: Int, to url: URL,
                            metadata extra: [String: String] = [:]) throws {
        var tensors: [String: Tensor] = [:]
        for (k, v) in model.stateDict() { tensors["model." + k] = v }
        if let optimizer { for (k, v) in optimizer.stateDict() { tensors["optimizer." + k] = v } }
        var metadata = extra
        metadata["step"] = String(step)
        metadata[formatKey] = "1"
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Loads a checkpoint saved by `save` into `model` (and `optimizer`), returning the step.
    /// The model's keys and shapes are checked before anything is changed.
    @discardableResult
    public static func load(from url: URL, into model: Module, optimizer: Optimizer? = nil, strict: Bool = true) throws -> Int {
        let (tensors, metadata) = try SafeTensors.read(url)
        guard let stepText = metadata["step"], let step = Int(stepText) else {
            throw CheckpointError(url.path, "has no 'step' in its metadata: not a Graft checkpoint (use SafeTensors.read for plain tensor files)")
        }
        var modelState: [String: Tensor] = [:], optimizerState: [String: Tensor] = [:]
        for (k, v) in tensors {
            if k.hasPrefix("model.") { modelState[String(k.dropFirst(6))] = v }
            else if k.hasPrefix("optimizer.") { optimizerState[String(k.dropFirst(10))] = v }
            else { throw CheckpointError(url.path, "has a tensor '\(k)' that is neither model. nor optimizer. state") }
        }
        do {
            try model.load(stateDict: modelState, strict: strict)
            if let optimizer { try optimizer.load(stateDict: optimizerState) }
        } catch {
            throw CheckpointError(url.path, "does not fit: \(error)")
        }
        return step
    }
}
