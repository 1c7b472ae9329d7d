import Graft
import GraftNN

/// The embedding model of DeViSE (Frome, Corrado, Shlens, Bengio, Dean, Ranzato and Mikolov
/// 2013, "DeViSE: A deep visual-semantic embedding model"): image features v(x) are projected
/// into the space of the class embeddings t (word vectors of the class names, or attribute
/// vectors) by a learned map M (a linear layer, or a small network), trained on the seen
/// classes with the hinge rank loss of its eq. 1,
///
///     loss(x, y) = Σ_{j ≠ y} max(0, margin − t_y · M v(x) + t_j · M v(x)),
///
/// summed over the seen classes j. A test image is labelled with the candidate class whose
/// embedding is nearest to M v(x) (dot product or cosine); the candidates may be classes that
/// were never seen, since only their embeddings are needed.
public enum EmbeddingModel {
    /// The hinge rank loss above, averaged over the rows of `projected` [N, E] (M v(x)), with
    /// `targets` [N] indexing the rows of `classEmbeddings` [C, E] (t).
    public static func hingeRankLoss(projected: Tensor, classEmbeddings: Tensor, targets: Tensor, margin: Float = 0.1) throws -> Tensor {
        guard projected.rank == 2, classEmbeddings.rank == 2, projected.shape[1] == classEmbeddings.shape[1],
              targets.shape == [projected.shape[0]] else {
            throw ZeroShotError.invalidData(what: "hinge rank loss inputs",
                                            reason: "expected projections [N, E], class embeddings [C, E] and targets [N], "
                                                    + "got \(projected.shape), \(classEmbeddings.shape) and \(targets.shape)")
        }
        try checkLabels(targets, classes: classEmbeddings.shape[0], what: "targets")
        return Loss.hingeRank(projected, labelEmbeddings: classEmbeddings, targets: targets, margin: margin)
    }

    /// Trains `projection` (features [B, D] to embeddings [B, E]) so that M v(x) ranks the true
    /// class's row of `classEmbeddings` [C, E] above every other seen class's by `margin`:
    /// `features` [N, D], `labels` [N] indexing the rows, Adam on shuffled mini-batches with
    /// `weightDecay`/2 · Σ w² on the weights. Returns the mean loss of each epoch; throws on a
    /// non-finite loss.
    @discardableResult
    public static func train(_ projection: Module & UnaryLayer, features: Tensor, labels: Tensor, classEmbeddings: Tensor,
                             epochs: Int, batchSize: Int, learningRate: Float = 1e-3, margin: Float = 0.1,
                             weightDecay: Float = 0, seed: UInt64) throws -> [Float] {
        guard epochs >= 0 else {
            throw ZeroShotError.invalidSetting(name: "embedding training",
                                               reason: "expected epochs ≥ 0, batchSize > 0 and margin ≥ 0, "
                                                   + "got \(epochs), \(batchSize) and \(margin)")
        }
        let training = try self.training(projection, features: features, labels: labels, classEmbeddings: classEmbeddings, batchSize: batchSize,
                                         learningRate: learningRate, margin: margin, weightDecay: weightDecay, seed: seed)
        try training.run(epochs: epochs) { ZeroShotError.nonFiniteLoss(what: "embedding projection", step: $0, value: $1) }
        projection.eval()
        return training.history
    }

    /// `train`'s training, to be stepped a mini-batch at a time (after checking the data and
    /// setting `projection` to training mode); `projection.eval()` after the last step.
    public static func training(_ projection: Module & UnaryLayer, features: Tensor, labels: Tensor, classEmbeddings: Tensor,
                                batchSize: Int, learningRate: Float = 1e-3, margin: Float = 0.1, weightDecay: Float = 0,
                                seed: UInt64) throws -> MiniBatchTraining {
        guard features.rank == 2, features.shape[0] > 0, labels.shape == [features.shape[0]], classEmbeddings.rank == 2 else {
            throw ZeroShotError.invalidData(what: "embedding training data",
                                            reason: "expected features [N, D] with N > 0, labels [N] and class embeddings [C, E], "
                                                    + "got \(features.shape), \(labels.shape) and \(classEmbeddings.shape)")
        }
        try checkLabels(labels, classes: classEmbeddings.shape[0], what: "labels")
        guard batchSize > 0, margin >= 0 else {
            throw ZeroShotError.invalidSetting(name: "embedding training",
                                               reason: "expected batchSize > 0 and margin ≥ 0, got \(batchSize) and \(margin)")
        }
        let weights = projection.namedParameters().filter { $0.tensor.requiresGrad && $0.name.hasSuffix("weight") }.map(\.tensor)
        let targets = classEmbeddings.detach()
        projection.train()
        return MiniBatchTraining(projection, count: features.shape[0], batchSize: batchSize, learningRate: learningRate, seed: seed) { rows in
            var loss = Loss.hingeRank(projection(features.indexSelect(axis: 0, indices: rows)), labelEmbeddings: targets,
                                      targets: labels.indexSelect(axis: 0, indices: rows), margin: margin)
            if weightDecay > 0 { for w in weights { loss = loss + (weightDecay / 2) * w.square().sum() } }
            return loss
        }
    }

    /// M v(x) [N, E] for `features` [N, D], in eval mode and in chunks of 2,000 rows.
    public static func project(_ projection: Module & UnaryLayer, features: Tensor) -> Tensor {
        projection.eval()
        var parts: [Tensor] = []
        noGrad {
            var start = 0
            while start < features.shape[0] {
                let end = min(start + 2000, features.shape[0])
                parts.append(projection(features.slice(axis: 0, start: start, end: end)))
                start = end
            }
        }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
    }

    /// The candidate (row of `candidates` [K, E]) nearest to each projected feature vector.
    public static func predict(_ projection: Module & UnaryLayer, features: Tensor, candidates: Tensor,
                               similarity: ClassScores.Similarity = .dot) throws -> [Int] {
        ClassScores.argmax(try ClassScores.similarity(project(projection, features: features), candidates, similarity))
    }

    /// Throws unless every label is a whole number in 0..<classes.
    static func checkLabels(_ labels: Tensor, classes: Int, what: String) throws {
        if let bad = labels.scalars.firstIndex(where: { $0 < 0 || $0 >= Float(classes) || $0 != $0.rounded() }) {
            throw ZeroShotError.invalidData(what: "\(what) \(bad)", reason: "expected a whole number in 0..<\(classes), got \(labels.scalars[bad])")
        }
    }
}
