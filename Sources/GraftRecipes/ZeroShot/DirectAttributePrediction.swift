import Foundation
import Graft
import GraftNN

/// Direct attribute prediction, DAP (Lampert, Nickisch and Harmeling 2009, "Learning to detect
/// unseen object classes by between-class attribute transfer"; 2014, "Attribute-based
/// classification for zero-shot visual object categorization", eq. 2): every class z has a
/// binary attribute signature a^z ∈ {0, 1}^M. Per-attribute classifiers p(a_m | x) are trained
/// on images of the seen classes, each labelled with its class's signature; here they are one
/// network with M sigmoid outputs trained with binary cross-entropy. A class never seen in
/// training is recognised through its signature alone:
///
///     score(z | x) = Σ_m [ log p(a_m = a^z_m | x) − log p(a_m = a^z_m) ],   ŷ = argmax_z score(z | x),
///
/// the MAP rule of the paper with the attribute prior p(a_m) estimated as the frequency of
/// a_m = 1 among the seen classes' signatures (or a uniform prior, 1/2, which leaves only the
/// likelihood term since it subtracts the same M log(1/2) from every class).
public enum DirectAttributePrediction {
    /// The attribute prior p(a_m = 1) of the score's second term.
    public enum Prior: Sendable, Equatable {
        /// p(a_m = 1) = 1/2 for every attribute.
        case uniform
        /// p(a_m = 1) for each attribute, e.g. from `frequencies(of:)`.
        case frequencies([Float])
    }

    /// The fraction of rows of `signatures` [C, M] (the seen classes' signatures) with a_m = 1,
    /// for each attribute m: Lampert et al.'s empirical prior p(a_m = 1).
    public static func frequencies(of signatures: Tensor) throws -> [Float] {
        try checkSignatures(signatures, what: "seen-class signatures")
        let c = signatures.shape[0], m = signatures.shape[1], s = signatures.scalars
        return (0..<m).map { j in Float((0..<c).filter { s[$0 * m + j] == 1 }.count) / Float(c) }
    }

    /// DAP scores [N, K]: for each row of attribute probabilities `probabilities` [N, M]
    /// (p(a_m = 1 | x)) and each candidate signature of `signatures` [K, M], the sum over
    /// attributes of log p(a_m = a^z_m | x) − log p(a_m = a^z_m). Probabilities (posterior and
    /// prior) are clamped into [eps, 1 − eps] so that a confident wrong attribute costs a finite
    /// amount, as Lampert et al.'s Platt-scaled SVM outputs never reach 0 or 1.
    public static func scores(probabilities: Tensor, signatures: Tensor, prior: Prior = .uniform, eps: Float = 1e-4) throws -> Tensor {
        try checkSignatures(signatures, what: "candidate signatures")
        let m = signatures.shape[1], k = signatures.shape[0]
        guard probabilities.rank == 2, probabilities.shape[1] == m else {
            throw ZeroShotError.invalidData(what: "attribute probabilities",
                                            reason: "expected [N, \(m)] (one column per attribute of the signatures), got \(probabilities.shape)")
        }
        guard eps > 0, eps < 0.5 else { throw ZeroShotError.invalidSetting(name: "eps", reason: "expected a value in (0, 0.5), got \(eps)") }
        let priorOne: [Float]
        switch prior {
        case .uniform: priorOne = [Float](repeating: 0.5, count: m)
        case .frequencies(let f):
            guard f.count == m else { throw ZeroShotError.invalidData(what: "attribute prior", reason: "expected \(m) frequencies, got \(f.count)") }
            priorOne = f
        }
        let clamp = { (p: Float) in Swift.min(Swift.max(p, eps), 1 - eps) }
        let logPriorOne = priorOne.map { Foundation.log(Double(clamp($0))) }, logPriorZero = priorOne.map { Foundation.log(Double(1 - clamp($0))) }
        let n = probabilities.shape[0], sig = signatures.scalars
        var out = [Float](repeating: 0, count: n * k)
        let p = probabilities.scalars
        do {
            for r in 0..<n {
                var logOne = [Double](repeating: 0, count: m), logZero = [Double](repeating: 0, count: m)
                for j in 0..<m {
                    let v = p[r * m + j]
                    guard v.isFinite, v >= 0, v <= 1 else {
                        throw ZeroShotError.invalidData(what: "attribute probabilities",
                                                        reason: "row \(r), attribute \(j) is \(v), expected a probability in [0, 1]")
                    }
                    logOne[j] = Foundation.log(Double(clamp(v)))
                    logZero[j] = Foundation.log(Double(1 - clamp(v)))
                }
                for z in 0..<k {
                    var total = 0.0
                    for j in 0..<m {
                        total += sig[z * m + j] == 1 ? logOne[j] - logPriorOne[j] : logZero[j] - logPriorZero[j]
                    }
                    out[r * k + z] = Float(total)
                }
            }
        }
        return Tensor(out, shape: [n, k])
    }

    /// The index of the best-scoring candidate signature for each row of `probabilities`.
    public static func predict(probabilities: Tensor, signatures: Tensor, prior: Prior = .uniform, eps: Float = 1e-4) throws -> [Int] {
        ClassScores.argmax(try scores(probabilities: probabilities, signatures: signatures, prior: prior, eps: eps))
    }

    /// Trains `model` (inputs [B, D] to M attribute logits) on `inputs` [N, D] whose targets
    /// are the rows of `targets` [N, M] (each example's class signature, 0 or 1), with binary
    /// cross-entropy on the logits plus `weightDecay`/2 · Σ w² over the weights, Adam on shuffled
    /// mini-batches. Returns the mean loss of each epoch; throws on a non-finite loss.
    @discardableResult
    public static func train(_ model: Module & UnaryLayer, inputs: Tensor, targets: Tensor, epochs: Int, batchSize: Int,
                             learningRate: Float = 1e-3, weightDecay: Float = 0, seed: UInt64) throws -> [Float] {
        guard epochs >= 0 else {
            throw ZeroShotError.invalidSetting(name: "attribute training",
                                               reason: "expected epochs ≥ 0 and batchSize > 0, got \(epochs) and \(batchSize)")
        }
        let training = try self.training(model, inputs: inputs, targets: targets, batchSize: batchSize, learningRate: learningRate,
                                         weightDecay: weightDecay, seed: seed)
        try training.run(epochs: epochs) { ZeroShotError.nonFiniteLoss(what: "attribute classifier", step: $0, value: $1) }
        model.eval()
        return training.history
    }

    /// `train`'s training, to be stepped a mini-batch at a time (after checking the data and
    /// setting `model` to training mode); `model.eval()` after the last step.
    public static func training(_ model: Module & UnaryLayer, inputs: Tensor, targets: Tensor, batchSize: Int,
                                learningRate: Float = 1e-3, weightDecay: Float = 0, seed: UInt64) throws -> MiniBatchTraining {
        guard inputs.rank == 2, inputs.shape[0] > 0, targets.rank == 2, targets.shape[0] == inputs.shape[0] else {
            throw ZeroShotError.invalidData(what: "attribute training data",
                                            reason: "expected inputs [N, D] with N > 0 and targets [N, M], "
                                                    + "got \(inputs.shape) and \(targets.shape)")
        }
        try checkSignatures(targets, what: "attribute targets")
        guard batchSize > 0 else {
            throw ZeroShotError.invalidSetting(name: "attribute training", reason: "expected batchSize > 0, got \(batchSize)")
        }
        let weights = model.namedParameters().filter { $0.tensor.requiresGrad && $0.name.hasSuffix("weight") }.map(\.tensor)
        model.train()
        return MiniBatchTraining(model, count: inputs.shape[0], batchSize: batchSize, learningRate: learningRate, seed: seed) { rows in
            var loss = Loss.binaryCrossEntropyWithLogits(model(inputs.indexSelect(axis: 0, indices: rows)),
                                                         targets.indexSelect(axis: 0, indices: rows))
            if weightDecay > 0 { for w in weights { loss = loss + (weightDecay / 2) * w.square().sum() } }
            return loss
        }
    }

    /// p(a_m = 1 | x) [N, M]: the sigmoid of `model`'s logits on `inputs` [N, D], in eval mode
    /// and in chunks of 2,000 rows.
    public static func attributeProbabilities(_ model: Module & UnaryLayer, inputs: Tensor) -> Tensor {
        model.eval()
        var parts: [Tensor] = []
        noGrad {
            var start = 0
            while start < inputs.shape[0] {
                let end = Swift.min(start + 2000, inputs.shape[0])
                parts.append(model(inputs.slice(axis: 0, start: start, end: end)).sigmoid())
                start = end
            }
        }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
    }

    /// Throws unless `signatures` is a non-empty [C, M] matrix of zeros and ones.
    static func checkSignatures(_ signatures: Tensor, what: String) throws {
        guard signatures.rank == 2, signatures.shape[0] > 0, signatures.shape[1] > 0 else {
            throw ZeroShotError.invalidData(what: what, reason: "expected a non-empty [classes, attributes] matrix, got shape \(signatures.shape)")
        }
        if let bad = signatures.scalars.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            let m = signatures.shape[1]
            throw ZeroShotError.invalidData(what: what, reason: "row \(bad / m), attribute \(bad % m) is \(signatures.scalars[bad]), expected 0 or 1")
        }
    }
}
