import Foundation
import Graft
import GraftNN

extension MiniBatchTraining: Resumable {
    /// Where the training stands besides its module, optimizer and generator.
    struct Progress: Codable { var order: [Int]; var batch: Int; var total: Float; var steps: Int; var history: [Float] }

    /// The module, Adam's moments, the generator, and the epoch under way (its order, next
    /// batch and loss sum) with the finished epochs' losses.
    public func resumableState() -> ResumableState {
        let progress = Tracked(Progress(order: order, batch: batch, total: total, steps: steps, history: history))
        return ResumableState([("model", model.resumableState()), ("optimizer", optimizer.resumableState()),
                               ("random", generator.resumableState()), ("progress", progress.resumableState())])
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        let progress = Tracked(Progress(order: [], batch: 0, total: 0, steps: 0, history: []))
        try progress.restore(state.part("progress"))
        try model.restore(state.part("model"))
        try optimizer.restore(state.part("optimizer"))
        try generator.restore(state.part("random"))
        (order, batch, total, steps, history) = (progress.value.order, progress.value.batch, progress.value.total,
                                                 progress.value.steps, progress.value.history)
    }
}
