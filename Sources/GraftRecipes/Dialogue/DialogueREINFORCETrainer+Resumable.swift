import Foundation
import Graft
import GraftNN

extension DialogueREINFORCETrainer: ResumableComposite {
    /// The model, Adam, the sampling generator, the model's dropout generator, the baseline, the
    /// reward's dull set and the step count, so a resumed run samples and updates exactly as before.
    public var resumableParts: [(name: String, part: any Resumable)] {
        let dull = ResumableValue(get: { self.reward.dull.sorted { $0.lexicographicallyPrecedes($1) } },
                                  set: { self.reward.dull = Set($0) })
        return [("model", model), ("optimizer", optimizer), ("random", random), ("dropout", model.dropout.generator),
                ("baseline", ResumableValue(get: { self.baseline.value }, set: { self.baseline.value = $0 })), ("dull", dull),
                ("steps", ResumableValue(get: { self.stepsTaken }, set: { self.stepsTaken = $0 }))]
    }
}
