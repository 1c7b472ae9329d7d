import Foundation
import Graft
import GraftNN

extension MiniBatchTraining: ResumableComposite {
    /// Where the training stands besides its module, optimizer and generator.
    struct Progress: Codable { var order: [Int]; var batch: Int; var total: Float; var steps: Int; var history: [Float] }

    /// The module, Adam's moments, the generator, and the epoch under way (its order, next
    /// batch and loss sum) with the finished epochs' losses.
    public var resumableParts: [(name: String, part: any Resumable)] {
        let progress = ResumableValue(
            get: { Progress(order: self.order, batch: self.batch, total: self.total, steps: self.steps, history: self.history) },
            set: { (self.order, self.batch, self.total, self.steps, self.history) = ($0.order, $0.batch, $0.total, $0.steps, $0.history) })
        return [("model", model), ("optimizer", optimizer), ("random", generator), ("progress", progress)]
    }
}
