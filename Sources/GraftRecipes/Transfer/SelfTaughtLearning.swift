import Graft
import GraftMetrics
import GraftNN

/// Self-taught learning (Raina, Battle, Lee, Packer and Ng 2007, "Self-taught learning: transfer
/// learning from unlabeled data"): features are learned from plentiful unlabelled data that need
/// not share the target task's classes (its algorithm 1, step 1, here with a sparse autoencoder),
/// then the few labelled target examples are represented by those features and a classifier is
/// trained on them (steps 2 and 3). The steps here are deterministic for a seed.
public enum SelfTaughtLearning {
    /// Trains `autoencoder` on the unlabelled rows of `unlabelled` [N, inputSize] with Adam on
    /// shuffled mini-batches (`pretraining(...)` run to the end); returns the mean loss J of each epoch.
    @discardableResult
    public static func pretrain(_ autoencoder: SparseAutoencoder, unlabelled: Tensor, epochs: Int, batchSize: Int,
                                learningRate: Float = 1e-3, seed: UInt64) throws -> [Float] {
        guard epochs >= 0 else {
            throw TransferError.invalidSetting(name: "pretraining", reason: "expected epochs ≥ 0 and batchSize > 0, got \(epochs) and \(batchSize)")
        }
        let training = try pretraining(autoencoder, unlabelled: unlabelled, batchSize: batchSize, learningRate: learningRate, seed: seed)
        for _ in 0..<(epochs * training.batchesPerEpoch) { training.step() }
        return training.history
    }

    /// `pretrain`'s training, to be stepped a mini-batch at a time: each step one Adam step of
    /// the autoencoder's loss J on the next batch of `unlabelled` [N, inputSize].
    public static func pretraining(_ autoencoder: SparseAutoencoder, unlabelled: Tensor, batchSize: Int,
                                   learningRate: Float = 1e-3, seed: UInt64) throws -> MiniBatchTraining {
        guard unlabelled.rank == 2, unlabelled.shape[0] > 0 else {
            throw TransferError.invalidData(what: "unlabelled data",
                                            reason: "expected a non-empty [N, features] matrix, got shape \(unlabelled.shape)")
        }
        guard batchSize > 0 else {
            throw TransferError.invalidSetting(name: "pretraining", reason: "expected batchSize > 0, got \(batchSize)")
        }
        return MiniBatchTraining(autoencoder, count: unlabelled.shape[0], batchSize: batchSize, learningRate: learningRate, seed: seed) { rows in
            autoencoder.loss(unlabelled.indexSelect(axis: 0, indices: rows))
        }
    }

    /// Trains softmax regression (a linear layer under cross-entropy, with L2 decay on its
    /// weights) on `features` [N, F] and whole-number `labels` [N], full-batch Adam for `epochs`
    /// steps; returns the classifier.
    public static func trainClassifier(features: Tensor, labels: Tensor, classes: Int, epochs: Int,
                                       learningRate: Float = 1e-2, weightDecay: Float = 1e-4, seed: UInt64) throws -> Linear {
        let (classifier, optimizer) = try classifier(features: features, labels: labels, classes: classes,
                                                     learningRate: learningRate, seed: seed)
        let x = features.detach()
        for _ in 0..<epochs { classifierStep(classifier, optimizer: optimizer, features: x, labels: labels, weightDecay: weightDecay) }
        return classifier
    }

    /// The untrained softmax-regression classifier of `trainClassifier` and its Adam, after
    /// checking `features` [N, F] and `labels` [N] (whole numbers in 0..<classes).
    public static func classifier(features: Tensor, labels: Tensor, classes: Int, learningRate: Float = 1e-2,
                                  seed: UInt64) throws -> (classifier: Linear, optimizer: Adam) {
        guard features.rank == 2, features.shape[0] > 0, labels.shape == [features.shape[0]] else {
            throw TransferError.invalidData(what: "labelled features",
                                            reason: "expected features [N, F] with N > 0 and labels [N], "
                                                    + "got \(features.shape) and \(labels.shape)")
        }
        if let bad = labels.scalars.firstIndex(where: { $0 < 0 || $0 >= Float(classes) || $0 != $0.rounded() }) {
            throw TransferError.invalidData(what: "label \(bad)", reason: "expected a whole number in 0..<\(classes), got \(labels.scalars[bad])")
        }
        let classifier = Linear(features.shape[1], classes, generator: RandomGenerator(seed: seed))
        return (classifier, Adam(classifier.namedParameters(), learningRate: learningRate))
    }

    /// One full-batch Adam step of `trainClassifier` on detached `features`; returns the loss.
    @discardableResult
    public static func classifierStep(_ classifier: Linear, optimizer: Optimizer, features: Tensor, labels: Tensor,
                                      weightDecay: Float = 1e-4) -> Float {
        optimizer.zeroGrad()
        let loss = Loss.crossEntropy(classifier(features), labels) + (weightDecay / 2) * classifier.weight.square().sum()
        loss.backward()
        optimizer.step()
        return loss.item
    }

    /// The fraction of rows of `logits` [N, C] whose largest entry is at the row's label
    /// (`Statistics.accuracy`; 0 when the counts differ).
    public static func accuracy(logits: Tensor, labels: Tensor) -> Double {
        noGrad { (try? Statistics.accuracy(logits: logits, labels: labels)) ?? 0 }
    }
}
