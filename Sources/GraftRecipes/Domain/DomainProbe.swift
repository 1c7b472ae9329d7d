import Graft
import GraftNN

/// How well a linear classifier tells two domains apart from their features: the measure of
/// "mixing" of domain-adversarial training (Ganin et al. 2016 read it off their t-SNE pictures;
/// Ben-David et al. 2010 bound the target error by the source error plus such a domain
/// distance, the proxy A-distance of section 5.1.3 being 2(1 - 2ε) for the probe's error ε).
/// Near 100% means the features keep the domains apart, near 50% that they are mixed.
public enum DomainProbe {
    /// The balanced held-out accuracy (the mean of the two domains' accuracies, in [0, 1]) of
    /// a logistic regression that tells rows of `source` [Ns, D] from rows of `target` [Nt, D].
    /// Each set is split at random (by `seed`) into halves; the features are standardised by
    /// the training halves' mean and deviation; the probe is trained full-batch with Adam for
    /// `steps` steps and tested on the other halves.
    public static func linearAccuracy(source: Tensor, target: Tensor, steps: Int = 300, learningRate: Float = 0.05,
                                      seed: UInt64 = 0) throws -> Double {
        guard source.rank == 2, target.rank == 2, source.shape[1] == target.shape[1], source.shape[0] >= 2, target.shape[0] >= 2 else {
            throw DANNError.badBatch(what: "domain probe features",
                                     reason: "expected [Ns, D] and [Nt, D] with at least 2 rows each, got \(source.shape) and \(target.shape)")
        }
        let rng = RandomGenerator(seed: seed)
        let split = { (x: Tensor) -> (train: Tensor, test: Tensor) in
            let order = rng.permutation(x.shape[0]), half = x.shape[0] / 2
            return (x.indexSelect(axis: 0, indices: Tensor(indices: Array(order[..<half]))),
                    x.indexSelect(axis: 0, indices: Tensor(indices: Array(order[half...]))))
        }
        let (s, t) = (split(source), split(target))
        let trainX = Tensor.concat([s.train, t.train], axis: 0)
        let mean = trainX.mean(axis: 0, keepDims: true)
        let std = ((trainX - mean) * (trainX - mean)).mean(axis: 0, keepDims: true).sqrt() + 1e-6
        let standard = { (x: Tensor) in (x - mean) / std }
        let x = standard(trainX)
        let y = Tensor([Float](repeating: 0, count: s.train.shape[0]) + [Float](repeating: 1, count: t.train.shape[0]), shape: [trainX.shape[0]])
        // Each domain's examples weigh half of the loss, whatever the counts.
        let weights = Tensor([Float](repeating: 0.5 / Float(s.train.shape[0]), count: s.train.shape[0])
                             + [Float](repeating: 0.5 / Float(t.train.shape[0]), count: t.train.shape[0]), shape: [trainX.shape[0]])
        let probe = Linear(source.shape[1], 2, generator: RandomGenerator(seed: seed &+ 1))
        let optimizer = Adam(probe.namedParameters(), learningRate: learningRate)
        for step in 1...max(steps, 1) {
            optimizer.zeroGrad()
            let loss = (Loss.crossEntropy(probe(x), y, reduction: .none) * weights).sum()
            guard loss.item.isFinite else {
                throw DANNError.nonFiniteLoss(step: step, value: Double(loss.item))
            }
            loss.backward()
            optimizer.step()
        }
        let hit = { (x: Tensor, label: Float) -> Double in
            let predicted = noGrad { probe(standard(x)).argmax(axis: 1) }.scalars
            return Double(predicted.filter { $0 == label }.count) / Double(predicted.count)
        }
        return (hit(s.test, 0) + hit(t.test, 1)) / 2
    }
}
