import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// A labelled set of flattened images for the transfer labs: images [N, 784], labels [N]
/// renumbered from 0.
struct LabeledSet {
    /// Images [N, D].
    let images: Tensor
    /// Labels [N], whole numbers from 0.
    let labels: Tensor
    /// The number of examples.
    var count: Int { labels.count }

    /// The examples at `indices`, in that order.
    func select(_ indices: [Int]) -> LabeledSet {
        let idx = Tensor(indices: indices)
        return LabeledSet(images: images.indexSelect(axis: 0, indices: idx), labels: labels.indexSelect(axis: 0, indices: idx))
    }

    /// The first `n` examples (all of them when `n` is larger).
    func prefix(_ n: Int) -> LabeledSet { select(Array(0..<min(n, count))) }

    /// The digits of `classes` from `mnist`, flattened to [N, 784] and relabelled so that
    /// `classes.lowerBound` becomes 0; at most `limit` of them, in the file's order.
    static func digits(_ mnist: MNIST, _ classes: ClosedRange<Int>, limit: Int = .max) -> LabeledSet {
        let labels = mnist.labels.scalars
        var kept: [Int] = []
        for (i, l) in labels.enumerated() where classes.contains(Int(l)) {
            kept.append(i)
            if kept.count == limit { break }
        }
        let idx = Tensor(indices: kept)
        let images = mnist.images.indexSelect(axis: 0, indices: idx).reshape([kept.count, 28 * 28])
        let relabelled = Tensor(kept.map { labels[$0] - Float(classes.lowerBound) }, shape: [kept.count])
        return LabeledSet(images: images, labels: relabelled)
    }

    /// The scikit-learn 8x8 digits drawn at MNIST's scale: each image is resized bilinearly to
    /// 20x20 and centred in a 28x28 frame (as MNIST centres its digits in a 20x20 box), then
    /// flattened to 784 values in [0, 1]; labels 0...9.
    static func upsampled(_ digits: Digits8x8) -> LabeledSet {
        let n = digits.count, src = digits.images.scalars
        var out = [Float](repeating: 0, count: n * 784)
        let scale: Float = 8.0 / 20.0
        // Sample positions and weights along one axis (half-pixel centres, clamped at the edges).
        let taps: [(lo: Int, hi: Int, w: Float)] = (0..<20).map { i in
            let x = min(max((Float(i) + 0.5) * scale - 0.5, 0), 7)
            let lo = Int(x.rounded(.down))
            return (lo, min(lo + 1, 7), x - Float(lo))
        }
        for k in 0..<n {
            let base = k * 64
            for (r, ty) in taps.enumerated() {
                for (c, tx) in taps.enumerated() {
                    let a = src[base + ty.lo * 8 + tx.lo], b = src[base + ty.lo * 8 + tx.hi]
                    let cc = src[base + ty.hi * 8 + tx.lo], d = src[base + ty.hi * 8 + tx.hi]
                    let top = a + (b - a) * tx.w, bottom = cc + (d - cc) * tx.w
                    out[k * 784 + (r + 4) * 28 + (c + 4)] = top + (bottom - top) * ty.w
                }
            }
        }
        return LabeledSet(images: Tensor(out, shape: [n, 784]), labels: digits.labels.reshape([n]))
    }

    /// `perClass` examples of each label, drawn by `seed` (fewer when a class has fewer).
    func perClass(_ perClass: Int, seed: UInt64) -> LabeledSet { select(perClassIndices(perClass, seed: seed)) }

    /// The indices `perClass(_:seed:)` selects, in the order drawn.
    func perClassIndices(_ perClass: Int, seed: UInt64) -> [Int] {
        let order = RandomGenerator(seed: seed).permutation(count)
        let labels = self.labels.scalars
        var taken: [Int: Int] = [:]
        var chosen: [Int] = []
        for i in order where taken[Int(labels[i]), default: 0] < perClass {
            taken[Int(labels[i]), default: 0] += 1
            chosen.append(i)
        }
        return chosen
    }

    /// A random `fraction` of the examples (at least one), drawn by `seed`.
    func fraction(_ fraction: Double, seed: UInt64) -> LabeledSet {
        let n = max(1, Int((Double(count) * fraction).rounded()))
        return select(Array(RandomGenerator(seed: seed).permutation(count).prefix(n)))
    }
}

/// The training and evaluation steps the transfer labs share.
enum TransferLabKit {
    /// A ReLU perceptron `inputs`-hidden...-`classes` as a flat `Sequential`: hidden layer k
    /// (from 1) is entries 2(k-1) (Linear) and 2(k-1)+1 (ReLU); the output layer is the last entry.
    static func mlp(inputs: Int = 784, hidden: [Int], classes: Int, seed: UInt64) -> Sequential {
        var layers: [any UnaryLayer] = []
        var width = inputs
        for (k, h) in hidden.enumerated() {
            layers.append(Linear(width, h, generator: RandomGenerator(seed: seed &+ UInt64(k))))
            layers.append(ReLU())
            width = h
        }
        layers.append(Linear(width, classes, generator: RandomGenerator(seed: seed &+ UInt64(hidden.count))))
        return Sequential(layers)
    }

    /// The `Sequential` entries of hidden layers `layers` (1-based) of a model built by `mlp`.
    static func entries(ofHidden layers: ClosedRange<Int>) -> Range<Int> { (2 * (layers.lowerBound - 1))..<(2 * layers.upperBound) }

    /// Copies hidden layers `layers` (1-based, each a Linear and its ReLU) from `source` into
    /// `target`, two networks built by `mlp` with the same hidden widths; frozen there with `freeze`.
    static func copyHidden(_ layers: ClosedRange<Int>, from source: Sequential, into target: Sequential, freeze: Bool) throws {
        let pairs = entries(ofHidden: layers).map { (source: $0, target: $0) }
        try LayerTransfer.copy(pairs: pairs, from: source, into: target, freeze: freeze)
    }

    /// Trains `model` on `data` for `epochs` epochs of `batch` examples with `optimizer`,
    /// adding `penalty()` to the loss when given. Throws a `LabError` naming `what` and the step
    /// when the loss is not finite. Returns the mean loss of the last epoch.
    @discardableResult
    static func train(_ model: Module & UnaryLayer, on data: LabeledSet, epochs: Int, batch: Int, optimizer: Optimizer,
                      seed: UInt64, what: String, penalty: (() throws -> Tensor)? = nil) throws -> Double {
        let sampler = EpochSampler(count: data.count, batchSize: min(batch, data.count), seed: seed)
        model.train()
        var step = 0, last = 0.0
        for epoch in 0..<epochs {
            var sum = 0.0
            let batches = sampler.batches(epoch: epoch)
            for indices in batches {
                step += 1
                let idx = Tensor(indices: indices)
                let x = data.images.indexSelect(axis: 0, indices: idx), y = data.labels.indexSelect(axis: 0, indices: idx)
                optimizer.zeroGrad()
                var loss = Loss.crossEntropy(model(x), y)
                if let penalty { loss = loss + (try penalty()) }
                guard loss.item.isFinite else { throw LabError("\(what): the training loss became \(loss.item) at step \(step) (epoch \(epoch + 1))") }
                loss.backward()
                optimizer.step()
                sum += Double(loss.item)
            }
            last = sum / Double(max(batches.count, 1))
        }
        return last
    }

    /// The fraction of `data` that `model` labels correctly, in [0, 1].
    static func accuracy(_ model: Module & UnaryLayer, on data: LabeledSet) -> Double {
        model.eval()
        defer { model.train() }
        var correct = 0
        noGrad {
            var start = 0
            while start < data.count {
                let end = min(start + 2000, data.count)
                let predicted = model(data.images.slice(axis: 0, start: start, end: end)).argmax(axis: 1).scalars
                let labels = data.labels.slice(axis: 0, start: start, end: end).scalars
                correct += zip(predicted, labels).filter { Int($0) == Int($1) }.count
                start = end
            }
        }
        return Double(correct) / Double(max(data.count, 1))
    }

    /// Adam over the trainable parameters of `model` (frozen ones are left out).
    static func adam(_ model: Module, learningRate: Float) -> Adam {
        Adam(model.namedParameters().filter { $0.tensor.requiresGrad }, learningRate: learningRate)
    }

    /// The mean of `values` (0 for none).
    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// The sample standard deviation of `values` (0 for fewer than two).
    static func std(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }

    /// The mean and the sample standard deviation of `values`, as `mean` and `std` give them.
    static func meanStd(_ values: [Double]) -> (mean: Double, std: Double) { (mean(values), std(values)) }

    /// "m ± s" with `digits` decimals.
    static func pm(_ values: [Double], _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f ± %.\(digits)f", mean(values), std(values))
    }
}
