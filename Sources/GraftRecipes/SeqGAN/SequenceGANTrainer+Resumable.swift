import Graft
import GraftNN

extension SequenceGANTrainer: ResumableComposite {
    /// Every network (G, its rollout copy, both discriminators), the three optimizers, the random
    /// generator and the REINFORCE baseline.
    public var resumableParts: [(name: String, part: any Resumable)] {
        [("generator", generatorNet), ("rollout", rolloutNet), ("discriminator", discriminator),
         ("prefixDiscriminator", prefixDiscriminator), ("generatorOptimizer", generatorOptimizer),
         ("discriminatorOptimizer", discriminatorOptimizer), ("prefixOptimizer", prefixOptimizer), ("random", random),
         ("baseline", ResumableValue(get: { self.baseline.value }, set: { self.baseline.value = $0 }))]
    }
}
