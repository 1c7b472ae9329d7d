import Graft
import GraftNN

extension ToyGANTrainer: ResumableComposite {
    /// Both networks, both optimizers and the random generator, so a resumed run draws the same
    /// batches and noise.
    public var resumableParts: [(name: String, part: any Resumable)] {
        [("generator", generatorNet), ("discriminator", discriminator), ("generatorOptimizer", generatorOptimizer),
         ("discriminatorOptimizer", discriminatorOptimizer), ("random", random)]
    }
}
