import Graft
import GraftNN

extension DCGANTrainer: Resumable {
    /// Both networks, both optimizers and the random generator, so a resumed run draws the same noise.
    public func resumableState() -> ResumableState {
        ResumableState([("generator", generatorNet.resumableState()), ("discriminator", discriminator.resumableState()),
                        ("generatorOptimizer", generatorOptimizer.resumableState()),
                        ("discriminatorOptimizer", discriminatorOptimizer.resumableState()), ("random", random.resumableState())])
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        try generatorNet.restore(state.part("generator"))
        try discriminator.restore(state.part("discriminator"))
        try generatorOptimizer.restore(state.part("generatorOptimizer"))
        try discriminatorOptimizer.restore(state.part("discriminatorOptimizer"))
        try random.restore(state.part("random"))
    }
}
