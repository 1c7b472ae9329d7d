import Graft
import GraftNN

extension UnsupervisedSummarizer: Resumable {
    /// The generator, reconstructor and discriminator (copy gates included), the three optimizers
    /// (lead pre-training's too), the random generator (Gumbel noise and every dropout mask) and the
    /// step count, so a resumed run continues exactly.
    public func resumableState() -> ResumableState {
        var parts: [(name: String, state: ResumableState)] = [
            ("generator", generatorNet.model.resumableState()), ("reconstructor", reconstructor.model.resumableState()),
            ("discriminator", discriminator.resumableState()), ("optimizer", optimizer.resumableState()),
            ("discriminatorOptimizer", discriminatorOptimizer.resumableState()), ("leadOptimizer", leadOptimizer.resumableState()),
            ("random", random.resumableState()), ("steps", ResumableState(texts: ["count": String(steps)]))]
        if let gate = generatorNet.copyGate { parts.append(("generatorGate", gate.resumableState())) }
        if let gate = reconstructor.copyGate { parts.append(("reconstructorGate", gate.resumableState())) }
        return ResumableState(parts)
    }

    /// Restores what `resumableState()` saved.
    public func restore(_ state: ResumableState) throws {
        guard let text = state.part("steps").texts["count"], let count = Int(text) else {
            throw ResumableStateError("an unsupervised summarizer's saved step count is missing or malformed")
        }
        try generatorNet.model.restore(state.part("generator"))
        try reconstructor.model.restore(state.part("reconstructor"))
        try discriminator.restore(state.part("discriminator"))
        try optimizer.restore(state.part("optimizer"))
        try discriminatorOptimizer.restore(state.part("discriminatorOptimizer"))
        try leadOptimizer.restore(state.part("leadOptimizer"))
        try random.restore(state.part("random"))
        try generatorNet.copyGate?.restore(state.part("generatorGate"))
        try reconstructor.copyGate?.restore(state.part("reconstructorGate"))
        steps = count
    }
}
