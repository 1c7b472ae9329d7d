import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// Self-taught learning on MNIST, the UFLDL exercise's set-up (Raina et al. 2007, "Self-taught
/// learning: transfer learning from unlabeled data"; Ng et al., UFLDL tutorial, "Exercise:
/// Self-Taught Learning"): a sparse autoencoder learns features from unlabelled digits 5–9 only,
/// then softmax regression classifies digits 0–4 from few labels, on the raw pixels, on the
/// learned features, and on the features of an untrained (random-weight) encoder of the same size.
public struct SelfTaughtLab: Lab {
    /// "self-taught".
    public let name = "self-taught"
    /// The title.
    public let title = "Self-taught learning: features from other digits"
    /// The claim.
    public let claim = "Features a sparse autoencoder learns from unlabelled digits 5–9 classify digits 0–4 better than raw pixels or a random encoder, most clearly when labels are few."
    /// MNIST.
    public let datasets = ["mnist"]

    /// The lab.
    public init() {}

    /// Sizes of a run.
    struct Sizes {
        /// Unlabelled 5–9 training images for the autoencoder.
        var unlabelled: Int
        /// Autoencoder epochs.
        var epochs: Int
        /// Labelled 0–4 training images for each point of the curve.
        var labelCounts: [Int]
        /// Test images of digits 0–4 (at most).
        var test: Int
        /// Full-batch Adam steps of the classifier.
        var classifierSteps: Int
        /// Seeds run (seed, seed+1, …).
        var seeds: Int
        var hidden = 200
    }

    /// The three representations compared, in report order.
    static let representations = ["raw pixels", "learned features", "random encoder"]

    /// Runs every seed and records the accuracy of each representation at each label count.
    public func run(_ context: LabContext) throws {
        let sizes = context.options.quick
            ? Sizes(unlabelled: 3000, epochs: 6, labelCounts: [50, 500], test: 500, classifierSteps: 300, seeds: 1)
            : Sizes(unlabelled: 29_404, epochs: 20, labelCounts: [50, 100, 500, 2000, 30_596], test: 100_000, classifierSteps: 500, seeds: 3)
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        let seed = context.options.seed
        // accuracy[s][r][c]: seed s, representation r, label count c (%).
        var accuracy: [[[Double]]] = []
        var lastLoss: [Double] = []
        var firstAutoencoder: SparseAutoencoder?
        let units = sizes.seeds * (1 + sizes.labelCounts.count)
        for s in 0..<sizes.seeds {
            let seedS = seed &+ UInt64(s)
            let unlabelled = rows(train, digits: 5...9, limit: sizes.unlabelled, seed: seedS &* 41)
            let labelled = rows(train, digits: 0...4, limit: sizes.labelCounts.max()!, seed: seedS &* 43 &+ 1)
            let testSet = rows(test, digits: 0...4, limit: sizes.test, seed: seedS &* 47 &+ 2)
            // UFLDL's settings: 200 sigmoid hidden units, ρ = 0.1, β = 3, λ = 3e-3.
            let autoencoder = SparseAutoencoder(inputSize: 784, hiddenSize: sizes.hidden, rho: 0.1, beta: 3, weightDecay: 3e-3,
                                                generator: RandomGenerator(seed: seedS &+ 500))
            let random = SparseAutoencoder(inputSize: 784, hiddenSize: sizes.hidden, rho: 0.1, beta: 3, weightDecay: 3e-3,
                                           generator: RandomGenerator(seed: seedS &+ 500))
            let pretraining = try SelfTaughtLearning.pretraining(autoencoder, unlabelled: unlabelled.x, batchSize: 128, learningRate: 1e-2,
                                                                 seed: seedS &+ 600)
            try context.train("seed \(seedS), autoencoder", steps: sizes.epochs * pretraining.batchesPerEpoch,
                              tracking: ["pretraining": pretraining]) { _ in
                ["J": Double(pretraining.step())]
            }
            let history = pretraining.history
            for (e, j) in history.enumerated() {
                context.log("autoencoder loss", series: "seed \(seedS)", x: Double(e + 1), y: Double(j), xLabel: "epoch", yLabel: "J (mean per epoch)")
            }
            lastLoss.append(Double(history.last ?? 0))
            if firstAutoencoder == nil { firstAutoencoder = autoencoder }
            context.progress(step: s * (1 + sizes.labelCounts.count) + 1, of: units, note: "seed \(seedS): autoencoder trained")
            let encoders: [(Tensor) -> Tensor] = [{ $0 }, { autoencoder.features($0) }, { random.features($0) }]
            let trainFeatures = encoders.map { $0(labelled.x) }, testFeatures = encoders.map { $0(testSet.x) }
            var bySeed = [[Double]](repeating: [], count: encoders.count)
            for (c, count) in sizes.labelCounts.enumerated() {
                let n = min(count, labelled.y.count)
                let y = labelled.y.slice(axis: 0, start: 0, end: n)
                for r in encoders.indices {
                    let x = trainFeatures[r].slice(axis: 0, start: 0, end: n).detach()
                    let (classifier, optimizer) = try SelfTaughtLearning.classifier(features: x, labels: y, classes: 5, learningRate: 1e-2,
                                                                                    seed: seedS &+ 700 &+ UInt64(r))
                    try context.train("seed \(seedS), \(Self.representations[r]), \(n) labels", steps: sizes.classifierSteps,
                                      tracking: ["classifier": classifier, "optimizer": optimizer]) { _ in
                        ["loss": Double(SelfTaughtLearning.classifierStep(classifier, optimizer: optimizer, features: x, labels: y,
                                                                          weightDecay: 1e-4))]
                    }
                    let logits = noGrad { classifier(testFeatures[r]) }
                    bySeed[r].append(100 * SelfTaughtLearning.accuracy(logits: logits, labels: testSet.y))
                }
                context.progress(step: s * (1 + sizes.labelCounts.count) + 2 + c, of: units, note: "seed \(seedS): \(n) labels")
            }
            accuracy.append(bySeed)
        }
        record(accuracy, sizes: sizes, lastLoss: lastLoss, autoencoder: firstAutoencoder!, context: context)
    }

    /// Flattened images [N, 784] of the digits in `digits`, a seeded sample of at most `limit`
    /// (in that sampled order, so a prefix is itself a random sample), with labels as digits.
    func rows(_ data: MNIST, digits: ClosedRange<Int>, limit: Int, seed: UInt64) -> (x: Tensor, y: Tensor) {
        let labels = data.labels.scalars
        let all = labels.indices.filter { digits.contains(Int(labels[$0])) }
        let chosen = RandomGenerator(seed: seed).permutation(all.count).prefix(min(limit, all.count)).map { all[$0] }
        let x = data.images.indexSelect(axis: 0, indices: Tensor(indices: chosen)).reshape([chosen.count, 784])
        return (x, Tensor(chosen.map { labels[$0] - Float(digits.lowerBound) }, shape: [chosen.count]))
    }

    /// Records the metrics, the curve of accuracy against labels, the learned filters and the notes.
    func record(_ accuracy: [[[Double]]], sizes: Sizes, lastLoss: [Double], autoencoder: SparseAutoencoder, context: LabContext) {
        let seeds = accuracy.count
        let counts = sizes.labelCounts.map { min($0, 30_596) }
        func stat(_ r: Int, _ c: Int) -> (mean: Double, std: Double) { ClassifierKit.meanStd(accuracy.map { $0[r][c] }) }
        for (r, rep) in Self.representations.enumerated() {
            for (c, n) in counts.enumerated() {
                context.log("accuracy against labels", series: rep, x: Double(n), y: stat(r, c).mean,
                            xLabel: "labelled digits 0–4", yLabel: "test accuracy on digits 0–4 (%)")
            }
        }
        let few = 0, most = counts.count - 1
        let ufldl = "UFLDL self-taught learning exercise: 200 hidden units trained on all digits 5–9, softmax on about 15,000 labelled 0–4, about 98% test accuracy"
        for (c, label) in [(few, "\(counts[few]) labels"), (most, "\(counts[most]) labels")] {
            for (r, rep) in Self.representations.enumerated() {
                let s = stat(r, c)
                let isPaper = r == 1 && c == most
                context.metric("\(rep) accuracy, \(label)", s.mean, unit: "%", paper: isPaper ? 98 : nil,
                               note: isPaper ? ufldl : nil, tolerance: isPaper ? 2 : nil)
                if seeds > 1 { context.metric("\(rep) accuracy, \(label) std", s.std, unit: "%", note: "standard deviation over \(seeds) seeds") }
            }
        }
        context.metric("autoencoder final loss", ClassifierKit.meanStd(lastLoss).mean, note: "J, mean over the last epoch's batches")
        context.figure(.curve("accuracy against labels", caption: "Test accuracy on digits 0–4 of softmax regression on raw pixels, on the autoencoder's learned features (trained on digits 5–9 only) and on an untrained encoder's features, against the number of labelled digits (mean over \(seeds) seed(s))."))
        context.figure(.curve("autoencoder loss", caption: "The sparse autoencoder's objective J per epoch on the unlabelled digits 5–9."))
        // The first 32 learned filters, each row of W₁ scaled into [0, 1].
        let w = autoencoder.encoder.weight.scalars, k = min(32, sizes.hidden)
        var pixels: [Float] = []
        for j in 0..<k {
            let row = w[(j * 784)..<((j + 1) * 784)]
            let lo = row.min()!, hi = row.max()!
            pixels += row.map { hi > lo ? ($0 - lo) / (hi - lo) : 0.5 }
        }
        context.figure(.images(title: "Learned filters", images: Tensor(pixels, shape: [k, 1, 28, 28]), columns: 8,
                               captions: (0..<k).map { "unit \($0 + 1)" },
                               caption: "The input weights of the first \(k) hidden units, learned from digits 5–9 alone (first seed), each scaled to its own range: strokes and pen shapes that also make up digits 0–4."))
        let f1 = { (v: Double) in String(format: "%.1f", v) }
        func pm(_ r: Int, _ c: Int) -> String { let s = stat(r, c); return "\(f1(s.mean)) ± \(f1(s.std))%" }
        context.note("Autoencoder: 784-\(sizes.hidden)-784 sigmoid, ρ = 0.1, β = 3, λ = 0.003 (UFLDL's values), Adam (learning rate 0.01, batches of 128) for \(sizes.epochs) epochs on \(sizes.unlabelled) unlabelled digits 5–9 (UFLDL uses L-BFGS for 400 iterations). Classifier: softmax regression, full-batch Adam for \(sizes.classifierSteps) steps, weight decay 1e-4, tested on \(sizes.test >= 5139 ? "all 5,139" : "\(sizes.test)") test digits 0–4. The random encoder is the same network before training. \(seeds) seed(s); spreads are sample standard deviations over seeds.")
        context.note("With \(counts[few]) labels the learned features reached \(pm(1, few)) against \(pm(0, few)) on raw pixels and \(pm(2, few)) with the random encoder (a difference of \(f1(stat(1, few).mean - stat(0, few).mean)) points over pixels); with \(counts[most]) labels the three reached \(pm(1, most)), \(pm(0, most)) and \(pm(2, most)). UFLDL's exercise reports about 98% with all labels.")
    }
}
