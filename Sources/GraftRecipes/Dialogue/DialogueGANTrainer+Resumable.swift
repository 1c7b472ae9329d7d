import Graft
import GraftNN

extension DialogueGANTrainer: Resumable {
    /// Both networks, both optimizers, the sampling generator, the dropout generators of both
    /// networks, the baseline and the step counts, so a resumed run continues exactly.
    public func resumableState() -> ResumableState {
        let texts = ["pretrainingSteps": String(pretrainingStepsTaken), "steps": String(stepsTaken),
                     "baseline": baseline.value.map { "\($0)" } ?? "none"]
        return ResumableState([("generator", generator.resumableState()), ("discriminator", discriminator.resumableState()),
                               ("generatorOptimizer", generatorOptimizer.resumableState()),
                               ("discriminatorOptimizer", discriminatorOptimizer.resumableState()), ("random", random.resumableState()),
                               ("generatorDropout", generator.dropout.generator.resumableState()),
                               ("discriminatorDropout", discriminator.dropout.generator.resumableState()),
                               ("values", ResumableState(texts: texts))])
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        let texts = state.part("values").texts
        guard let pretrainingText = texts["pretrainingSteps"], let pretraining = Int(pretrainingText), let stepsText = texts["steps"],
              let steps = Int(stepsText), let baselineText = texts["baseline"], baselineText == "none" || Double(baselineText) != nil else {
            throw ResumableStateError("a dialogue GAN trainer's saved step counts or baseline are missing or malformed")
        }
        try generator.restore(state.part("generator"))
        try discriminator.restore(state.part("discriminator"))
        try generatorOptimizer.restore(state.part("generatorOptimizer"))
        try discriminatorOptimizer.restore(state.part("discriminatorOptimizer"))
        try random.restore(state.part("random"))
        try generator.dropout.generator.restore(state.part("generatorDropout"))
        try discriminator.dropout.generator.restore(state.part("discriminatorDropout"))
        baseline.value = Double(baselineText)
        pretrainingStepsTaken = pretraining
        stepsTaken = steps
    }
}
