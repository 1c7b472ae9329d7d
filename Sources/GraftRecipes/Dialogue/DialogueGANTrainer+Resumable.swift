import Graft
import GraftNN

extension DialogueGANTrainer: ResumableComposite {
    /// Both networks, both optimizers, the sampling generator, the dropout generators of both
    /// networks, the baseline and the step counts, so a resumed run continues exactly.
    public var resumableParts: [(name: String, part: any Resumable)] {
        [("generator", generator), ("discriminator", discriminator), ("generatorOptimizer", generatorOptimizer),
         ("discriminatorOptimizer", discriminatorOptimizer), ("random", random),
         ("generatorDropout", generator.dropout.generator), ("discriminatorDropout", discriminator.dropout.generator),
         ("baseline", ResumableValue(get: { self.baseline.value }, set: { self.baseline.value = $0 })),
         ("pretrainingSteps", ResumableValue(get: { self.pretrainingStepsTaken }, set: { self.pretrainingStepsTaken = $0 })),
         ("steps", ResumableValue(get: { self.stepsTaken }, set: { self.stepsTaken = $0 }))]
    }
}
