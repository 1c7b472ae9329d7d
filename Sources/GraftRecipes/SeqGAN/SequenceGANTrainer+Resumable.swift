import Graft
import GraftNN

extension SequenceGANTrainer: Resumable {
    /// Every network (G, its rollout copy, both discriminators), the three optimizers, the random
    /// generator and the REINFORCE baseline.
    public func resumableState() -> ResumableState {
        var state = ResumableState([
            ("generator", generatorNet.resumableState()), ("rollout", rolloutNet.resumableState()),
            ("discriminator", discriminator.resumableState()), ("prefixDiscriminator", prefixDiscriminator.resumableState()),
            ("generatorOptimizer", generatorOptimizer.resumableState()),
            ("discriminatorOptimizer", discriminatorOptimizer.resumableState()),
            ("prefixOptimizer", prefixOptimizer.resumableState()), ("random", random.resumableState()),
        ])
        state.texts["baseline"] = baseline.value.map { String($0.bitPattern) } ?? "none"
        return state
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.texts["baseline"], text == "none" || UInt64(text) != nil else {
            throw ResumableStateError("a sequence GAN trainer's saved baseline is missing or malformed")
        }
        try generatorNet.restore(state.part("generator"))
        try rolloutNet.restore(state.part("rollout"))
        try discriminator.restore(state.part("discriminator"))
        try prefixDiscriminator.restore(state.part("prefixDiscriminator"))
        try generatorOptimizer.restore(state.part("generatorOptimizer"))
        try discriminatorOptimizer.restore(state.part("discriminatorOptimizer"))
        try prefixOptimizer.restore(state.part("prefixOptimizer"))
        try random.restore(state.part("random"))
        baseline.value = UInt64(text).map { Double(bitPattern: $0) }
    }
}
