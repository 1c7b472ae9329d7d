import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// The zero-shot lab's second task, on the UCI zoo table. Given: every animal's name embedding
/// (MiniLM, bundled) and the attribute table. Each seed splits the 101 animals into five folds;
/// for each fold, attribute classifiers (logistic regression from the name embedding to the
/// binary attributes) are trained on the other four folds' animals only, and each held-out
/// animal, presented by its name embedding alone, is identified among the held-out animals'
/// attribute signatures by direct attribute prediction. Animals with identical signatures (many
/// fish, for instance) are one candidate class, since no attribute method can tell them apart.
/// Predicted: the attributes of never-seen animals and, from them, which described animal each is.
enum ZooZeroShot {
    /// The binary attributes: the 15 yes/no columns of the table, then legs as three bits.
    static func attributeNames(_ zoo: UCIZoo) -> [String] {
        zoo.attributeNames.filter { $0 != "legs" } + ["two legs", "four legs", "more than four legs"]
    }

    /// Each animal's binary signature: the yes/no columns as they are, and legs 2, 4, or 5 and
    /// more as one bit each (no legs: all three 0).
    static func signatures(_ zoo: UCIZoo) -> [[Float]] {
        let m = UCIZoo.attributeCount, values = zoo.attributes.scalars
        let legs = zoo.attributeNames.firstIndex(of: "legs")
        return (0..<zoo.names.count).map { r in
            let row = Array(values[(r * m)..<((r + 1) * m)])
            var out = row.enumerated().filter { $0.offset != legs }.map(\.element)
            let l = legs.map { row[$0] } ?? 0
            out += [l == 2 ? 1 : 0, l == 4 ? 1 : 0, l >= 5 ? 1 : 0]
            return out
        }
    }

    /// What one seed measured.
    struct Result {
        /// Mean class accuracy of identifying held-out animals, averaged over the folds, in [0, 1].
        var accuracy: Double
        /// The chance level 1/K averaged over the folds (K candidate signatures per fold).
        var chance: Double
        /// The mean number of candidate signatures per fold.
        var candidates: Double
        /// How often the identified signature belongs to an animal of the true type, in [0, 1].
        var typeAccuracy: Double
        /// Per attribute: the fraction of held-out animals whose attribute was predicted right.
        var attributeAccuracy: [Double]
        /// Per attribute: the same for always predicting the training folds' majority value.
        var majorityAccuracy: [Double]
    }

    /// Runs the five folds for `seed`, training each attribute classifier for `epochs` full-batch
    /// Adam steps, a training loop of `context` per fold.
    static func run(zoo: UCIZoo, embeddings: ClassNameEmbeddings, folds: Int = 5, epochs: Int, seed: UInt64,
                    context: LabContext) throws -> Result {
        let sig = signatures(zoo), m = sig[0].count, n = zoo.names.count
        let types = zoo.types.scalars.map { Int($0) }
        let order = RandomGenerator(seed: seed).permutation(n)
        var accuracies: [Double] = [], chances: [Double] = [], candidateCounts: [Double] = []
        var typeRight = 0
        var attributeRight = [Int](repeating: 0, count: m), majorityRight = [Int](repeating: 0, count: m)
        for f in 0..<folds {
            let heldOut = order.enumerated().filter { $0.offset % folds == f }.map(\.element).sorted()
            let held = Set(heldOut)
            let train = (0..<n).filter { !held.contains($0) }
            let x = embeddings.vectors.indexSelect(axis: 0, indices: Tensor(indices: train))
            let y = Tensor(train.flatMap { sig[$0] }, shape: [train.count, m])
            let model = Linear(ClassNameEmbeddings.dimension, m, generator: RandomGenerator(seed: seed &* 31 &+ UInt64(f)))
            let training = try DirectAttributePrediction.training(model, inputs: x, targets: y, batchSize: train.count,
                                                                  learningRate: 0.01, weightDecay: 1e-3, seed: seed &+ UInt64(f))
            try context.train("zoo, seed \(seed), fold \(f + 1)", steps: epochs * training.batchesPerEpoch,
                              tracking: ["training": training]) { _ in ["loss": Double(training.step())] }
            model.eval()
            let heldOutEmbeddings = embeddings.vectors.indexSelect(axis: 0, indices: Tensor(indices: heldOut))
            let p = DirectAttributePrediction.attributeProbabilities(model, inputs: heldOutEmbeddings)
            // Candidate classes: the distinct signatures of the held-out animals.
            var groups: [[Float]] = [], groupOf: [Int] = []
            for a in heldOut {
                if let g = groups.firstIndex(of: sig[a]) { groupOf.append(g) } else { groupOf.append(groups.count); groups.append(sig[a]) }
            }
            let prior = DirectAttributePrediction.Prior.frequencies(try DirectAttributePrediction.frequencies(of: y))
            let groupSignatures = Tensor(groups.flatMap { $0 }, shape: [groups.count, m])
            let predicted = try DirectAttributePrediction.predict(probabilities: p, signatures: groupSignatures, prior: prior)
            accuracies.append(try ZeroShotMetrics.meanClassAccuracy(predicted: predicted, truth: groupOf, classes: Array(groups.indices)))
            chances.append(ZeroShotMetrics.chance(candidates: groups.count))
            candidateCounts.append(Double(groups.count))
            for (k, a) in heldOut.enumerated() {
                let firstWithPredicted = heldOut[groupOf.firstIndex(of: predicted[k])!]
                if types[firstWithPredicted] == types[a] { typeRight += 1 }
            }
            // Attribute by attribute, against the training folds' majority value.
            let probs = p.scalars
            for j in 0..<m {
                let ones = train.filter { sig[$0][j] == 1 }.count
                let majority: Float = 2 * ones > train.count ? 1 : 0
                for (k, a) in heldOut.enumerated() {
                    if (probs[k * m + j] > 0.5 ? 1 : 0) == sig[a][j] { attributeRight[j] += 1 }
                    if majority == sig[a][j] { majorityRight[j] += 1 }
                }
            }
        }
        return Result(accuracy: ClassifierKit.mean(accuracies), chance: ClassifierKit.mean(chances),
                      candidates: ClassifierKit.mean(candidateCounts), typeAccuracy: Double(typeRight) / Double(n),
                      attributeAccuracy: attributeRight.map { Double($0) / Double(n) },
                      majorityAccuracy: majorityRight.map { Double($0) / Double(n) })
    }
}
