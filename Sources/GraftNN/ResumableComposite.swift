/// An object whose training state is the states of its parts (networks, optimizers, random
/// generators, counters), each listed once in `resumableParts` and saved under its name;
/// `resumableState()` and `restore(_:)` come from that one list.
public protocol ResumableComposite: Resumable {
    /// The parts, by the name their state is saved under, in a fixed order (an optional part,
    /// such as a copy gate a model may lack, is listed only when present).
    var resumableParts: [(name: String, part: any Resumable)] { get }
}

extension ResumableComposite {
    /// Every part's state, its keys prefixed "name.".
    public func resumableState() -> ResumableState {
        ResumableState(resumableParts.map { (name: $0.name, state: $0.part.resumableState()) })
    }

    /// Restores every part from what `resumableState()` saved; throws naming the part that does not fit.
    public func restore(_ state: ResumableState) throws {
        for (name, part) in resumableParts {
            do { try part.restore(state.part(name)) } catch {
                throw ResumableStateError("\(Self.self)'s part '\(name)': \(error)")
            }
        }
    }
}

/// A plain property of an object (a step count, a baseline, a set of sequences) as a
/// resumable part: read and written through `get` and `set`, saved as JSON like `Tracked`.
public final class ResumableValue<Value: Codable>: Resumable {
    private let get: () -> Value
    private let set: (Value) throws -> Void

    /// The property that `get` reads and `set` writes (`set` throws on a value it refuses).
    public init(get: @escaping () -> Value, set: @escaping (Value) throws -> Void) {
        self.get = get
        self.set = set
    }

    /// The value as JSON.
    public func resumableState() -> ResumableState { Tracked(get()).resumableState() }

    /// Decodes the saved JSON and writes it.
    public func restore(_ state: ResumableState) throws {
        let tracked = Tracked(get())
        try tracked.restore(state)
        try set(tracked.value)
    }
}
