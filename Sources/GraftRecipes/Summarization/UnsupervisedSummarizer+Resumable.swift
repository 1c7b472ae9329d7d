import Graft
import GraftNN

extension UnsupervisedSummarizer: ResumableComposite {
    /// The generator, reconstructor and discriminator (copy gates included), the three optimizers
    /// (lead pre-training's too), the random generator (Gumbel noise and every dropout mask) and the
    /// step count, so a resumed run continues exactly.
    public var resumableParts: [(name: String, part: any Resumable)] {
        var parts: [(name: String, part: any Resumable)] = [
            ("generator", generatorNet.model), ("reconstructor", reconstructor.model), ("discriminator", discriminator),
            ("optimizer", optimizer), ("discriminatorOptimizer", discriminatorOptimizer), ("leadOptimizer", leadOptimizer),
            ("random", random), ("steps", ResumableValue(get: { self.steps }, set: { self.steps = $0 }))]
        if let gate = generatorNet.copyGate { parts.append(("generatorGate", gate)) }
        if let gate = reconstructor.copyGate { parts.append(("reconstructorGate", gate)) }
        return parts
    }
}
