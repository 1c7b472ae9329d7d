import Graft
import GraftNN

/// Hard parameter sharing for multitask learning (Caruana 1997, "Multitask learning"): one trunk
/// shared by every task, one head per task. The trunk sees the gradients of all tasks, which is
/// what makes each task's data an inductive bias for the others. State keys are `trunk.…` and
/// `heads.t.…`.
public final class MultitaskModel: Module {
    /// The shared layers.
    public let trunk: any UnaryLayer
    /// One head per task, in task order.
    public let heads: [any UnaryLayer]

    /// A model with a shared `trunk` and one head per task (at least one).
    public init(trunk: any UnaryLayer, heads: [any UnaryLayer]) {
        precondition(!heads.isEmpty, "MultitaskModel needs at least one head")
        self.trunk = trunk
        self.heads = heads
        super.init()
    }

    /// The number of tasks.
    public var taskCount: Int { heads.count }

    /// The output of task `task`'s head on the shared features of `x`.
    public func callAsFunction(_ x: Tensor, task: Int) -> Tensor {
        precondition(task >= 0 && task < heads.count, "task \(task) is outside 0..<\(heads.count)")
        return heads[task](trunk(x))
    }

    /// Every head's output on one shared trunk pass (for inputs labelled for all tasks).
    public func callAsFunction(_ x: Tensor) -> [Tensor] {
        let features = trunk(x)
        return heads.map { $0(features) }
    }

    /// The trunk and the heads, named `trunk` and `heads.0`, `heads.1`, ...
    public override var customChildren: [(name: String, module: Module)]? {
        [("trunk", trunk as Module)] + heads.enumerated().map { ("heads.\($0.offset)", $0.element as Module) }
    }
}

/// The weighted multitask objective L = Σ_t w_t L_t. With interleaved batches each step sees one
/// task, and its loss is weighted by that task's w_t, so over an epoch the trunk follows the same
/// weighted sum.
public struct MultitaskLoss {
    /// The weight w_t of each task's loss.
    public let weights: [Float]

    /// Weights for each task (non-negative, at least one).
    public init(weights: [Float]) throws {
        guard !weights.isEmpty else {
            throw TransferError.invalidSetting(name: "multitask weights", reason: "expected one weight per task, got none")
        }
        if let i = weights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw TransferError.invalidSetting(name: "multitask weight \(i)", reason: "expected a finite non-negative number, got \(weights[i])")
        }
        self.weights = weights
    }

    /// Equal weights for `tasks` tasks.
    public init(equalFor tasks: Int) {
        precondition(tasks > 0, "MultitaskLoss needs at least one task")
        weights = [Float](repeating: 1, count: tasks)
    }

    /// Σ_t w_t L_t over one loss per task.
    public func combine(_ losses: [Tensor]) -> Tensor {
        precondition(losses.count == weights.count, "\(losses.count) losses for \(weights.count) task weights")
        return zip(weights, losses).dropFirst().reduce(weights[0] * losses[0]) { $0 + $1.0 * $1.1 }
    }

    /// w_t L_t for the loss of one interleaved batch of task `task`.
    public func weighted(_ loss: Tensor, task: Int) -> Tensor {
        precondition(task >= 0 && task < weights.count, "task \(task) is outside 0..<\(weights.count)")
        return weights[task] * loss
    }
}

/// The order in which one epoch's task batches are interleaved.
public enum TaskInterleaving: Sendable, Equatable {
    /// Tasks take turns (0, 1, 2, 0, 1, 2, ...); a task that runs out of batches drops out.
    case roundRobin
    /// Every batch of every task once, in an order shuffled by `seed` (tasks appear in
    /// proportion to their numbers of batches throughout the epoch).
    case shuffled(seed: UInt64)

    /// The task of each step of an epoch where task t has `batchCounts[t]` batches: every task t
    /// appears exactly `batchCounts[t]` times.
    public func order(batchCounts: [Int]) -> [Int] {
        precondition(batchCounts.allSatisfy { $0 >= 0 }, "batch counts must be non-negative, got \(batchCounts)")
        switch self {
        case .roundRobin:
            var out: [Int] = []
            out.reserveCapacity(batchCounts.reduce(0, +))
            for round in 0..<(batchCounts.max() ?? 0) {
                for (t, n) in batchCounts.enumerated() where round < n { out.append(t) }
            }
            return out
        case let .shuffled(seed):
            let all = batchCounts.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
            return RandomGenerator(seed: seed).permutation(all.count).map { all[$0] }
        }
    }
}
