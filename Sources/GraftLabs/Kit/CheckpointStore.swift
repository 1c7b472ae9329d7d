import Foundation
import Graft
import GraftNN

/// One training loop's state at a step boundary: what a resumed run restores.
struct LoopSnapshot {
    /// The loop's name, unique within the run.
    var name: String
    /// Steps done.
    var step: Int
    /// The loop's length.
    var steps: Int
    /// Whether the loop finished (a resumed run skips it, restoring its final state).
    var done: Bool
    /// The tracked objects' states, by the name the lab tracked them under, in tracking order.
    var states: [(name: String, state: ResumableState)]
    /// What the loop wrote into the record so far.
    var journal: [RecordEntry]
}

/// The run's checkpoint: the latest snapshot of every training loop reached so far, kept in
/// memory and written as one safetensors file. Safe to use from several threads (a lab's
/// parallel runs).
final class CheckpointStore: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshots: [String: LoopSnapshot] = [:]
    private var order: [String] = []

    /// An empty store.
    init() {}

    /// The snapshot of the loop called `name`, if one was saved.
    func snapshot(_ name: String) -> LoopSnapshot? { lock.withLock { snapshots[name] } }

    /// Saves (or replaces) a loop's snapshot.
    func put(_ snapshot: LoopSnapshot) {
        lock.withLock {
            if snapshots[snapshot.name] == nil { order.append(snapshot.name) }
            snapshots[snapshot.name] = snapshot
        }
    }

    /// Whether any loop has been saved.
    var isEmpty: Bool { lock.withLock { snapshots.isEmpty } }

    // MARK: the file

    /// The metadata keys of a lab checkpoint.
    enum Key {
        static let format = "graft.checkpoint", lab = "graft.lab.name", options = "graft.lab.options", loops = "graft.lab.loops"
    }

    /// How a loop is described in the file's metadata (its tensors are stored apart).
    struct LoopManifest: Codable {
        struct State: Codable { var name: String; var texts: [String: String]; var tensors: [String] }
        var name: String, step: Int, steps: Int, done: Bool
        var states: [State]
        var journal: [RecordEntry]
    }

    /// The options a checkpoint must match to be resumed: everything but `resume`, and the
    /// lab's own settings (`Lab.runSettings`; absent from checkpoints of labs without any).
    struct RunIdentity: Codable, Equatable {
        var size: LabSize, seed: UInt64, threads: Int
        var settings: [String: String]?
        init(_ o: LabOptions, settings: [String: String]) {
            (size, seed, threads) = (o.size, o.seed, o.threads)
            self.settings = settings.isEmpty ? nil : settings
        }
    }

    /// Writes every snapshot to `url` atomically (an interruption keeps the previous file).
    func write(to url: URL, lab: String, options: LabOptions, settings: [String: String]) throws {
        let (names, all) = lock.withLock { (order, snapshots) }
        var tensors: [String: Tensor] = [:]
        var manifests: [LoopManifest] = []
        for (i, name) in names.enumerated() {
            let s = all[name]!
            var states: [LoopManifest.State] = []
            for (j, tracked) in s.states.enumerated() {
                let keys = tracked.state.tensors.keys.sorted()
                for key in keys { tensors["loops.\(i).\(j).\(key)"] = tracked.state.tensors[key]! }
                states.append(.init(name: tracked.name, texts: tracked.state.texts, tensors: keys))
            }
            manifests.append(LoopManifest(name: name, step: s.step, steps: s.steps, done: s.done, states: states, journal: s.journal))
        }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = .sortedKeys
        let metadata = [Key.format: "2", Key.lab: lab,
                        Key.options: String(decoding: try encoder.encode(RunIdentity(options, settings: settings)), as: UTF8.self),
                        Key.loops: String(decoding: try encoder.encode(manifests), as: UTF8.self)]
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads the checkpoint at `url`, refusing one written by another lab or with other
    /// options or settings (naming the difference), and any loop whose step count is out of range.
    static func read(_ url: URL, lab: String, options: LabOptions, settings: [String: String] = [:]) throws -> CheckpointStore {
        let (tensors, metadata) = try SafeTensors.read(url)
        let path = url.path
        guard metadata[Key.format] == "2", let labName = metadata[Key.lab], let optionsJSON = metadata[Key.options],
              let loopsJSON = metadata[Key.loops] else {
            throw LabError("\(path) is not a lab checkpoint of this Graft version (its metadata lacks \(Key.format) = 2, the lab, "
                           + "its options or its loops); start afresh without --resume or in another --out folder")
        }
        guard labName == lab else { throw LabError("\(path) is a checkpoint of the lab '\(labName)', not '\(lab)'") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let saved: RunIdentity, manifests: [LoopManifest]
        do {
            saved = try decoder.decode(RunIdentity.self, from: Data(optionsJSON.utf8))
            manifests = try decoder.decode([LoopManifest].self, from: Data(loopsJSON.utf8))
        } catch {
            throw LabError("\(path): the checkpoint's metadata does not decode: \(error)")
        }
        let now = RunIdentity(options, settings: settings)
        var differences: [String] = []
        if saved.size != now.size { differences.append("it was written with --size \(saved.size), this run has --size \(now.size)") }
        if saved.seed != now.seed { differences.append("it was written with --seed \(saved.seed), this run has --seed \(now.seed)") }
        if saved.threads != now.threads {
            differences.append("it was written with --threads \(saved.threads), this run has --threads \(now.threads)")
        }
        let savedSettings = saved.settings ?? [:]
        for key in Set(savedSettings.keys).union(settings.keys).sorted() where savedSettings[key] != settings[key] {
            let then = savedSettings[key].map { "\(key) \($0)" } ?? "no \(key)"
            let here = settings[key].map { "\(key) \($0)" } ?? "no \(key)"
            differences.append("it was written with \(then), this run has \(here)")
        }
        guard differences.isEmpty else {
            throw LabError("--resume refused: \(path) belongs to another run: " + differences.joined(separator: "; ")
                           + ". Resume with the same options, or start afresh in another --out folder.")
        }
        let store = CheckpointStore()
        var seen = Set<String>()
        for (i, m) in manifests.enumerated() {
            guard seen.insert(m.name).inserted else { throw LabError("\(path): the loop '\(m.name)' is saved twice") }
            guard m.steps >= 0, m.step >= 0, m.step <= m.steps, !m.done || m.step == m.steps else {
                throw LabError("\(path): the loop '\(m.name)' is saved at step \(m.step) of \(m.steps)\(m.done ? " as finished" : ""), "
                               + "which no run reaches")
            }
            var states: [(name: String, state: ResumableState)] = []
            for (j, s) in m.states.enumerated() {
                var stateTensors: [String: Tensor] = [:]
                for key in s.tensors {
                    guard let t = tensors["loops.\(i).\(j).\(key)"] else {
                        throw LabError("\(path): the tensor '\(key)' of '\(s.name)' in the loop '\(m.name)' is missing")
                    }
                    stateTensors[key] = t
                }
                states.append((s.name, ResumableState(tensors: stateTensors, texts: s.texts)))
            }
            store.put(LoopSnapshot(name: m.name, step: m.step, steps: m.steps, done: m.done, states: states, journal: m.journal))
        }
        return store
    }
}
