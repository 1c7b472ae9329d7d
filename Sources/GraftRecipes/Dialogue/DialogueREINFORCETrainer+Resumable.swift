import Foundation
import Graft
import GraftNN

extension DialogueREINFORCETrainer: Resumable {
    /// The model, Adam, the sampling generator, the model's dropout generator, the baseline, the
    /// reward's dull set and the step count, so a resumed run samples and updates exactly as before.
    public func resumableState() -> ResumableState {
        let dull = reward.dull.sorted { $0.lexicographicallyPrecedes($1) }
        let texts = ["steps": String(stepsTaken), "baseline": baseline.value.map { "\($0)" } ?? "none",
                     "dull": String(decoding: (try? JSONEncoder().encode(dull)) ?? Data("[]".utf8), as: UTF8.self)]
        return ResumableState([("model", model.resumableState()), ("optimizer", optimizer.resumableState()),
                               ("random", random.resumableState()), ("dropout", model.dropout.generator.resumableState()),
                               ("values", ResumableState(texts: texts))])
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        let texts = state.part("values").texts
        guard let stepsText = texts["steps"], let steps = Int(stepsText), let baselineText = texts["baseline"],
              baselineText == "none" || Double(baselineText) != nil, let dullText = texts["dull"],
              let dull = try? JSONDecoder().decode([[Int]].self, from: Data(dullText.utf8)) else {
            throw ResumableStateError("a REINFORCE trainer's saved step count, baseline or dull set is missing or malformed")
        }
        try model.restore(state.part("model"))
        try optimizer.restore(state.part("optimizer"))
        try random.restore(state.part("random"))
        try model.dropout.generator.restore(state.part("dropout"))
        baseline.value = Double(baselineText)
        reward.dull = Set(dull)
        stepsTaken = steps
    }
}
