import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// Self-taught clustering on MNIST (Dai, Yang, Xue and Yu 2008, "Self-taught clustering", ICML):
/// a few hundred unlabelled target digits 0–4 are clustered with the help of thousands of
/// unlabelled auxiliary digits 5–9, which share the feature clustering (groups of pixels that
/// go together, i.e. strokes). It is compared with k-means on the target alone and with the same
/// co-clustering without the auxiliary data (λ = 0, Dhillon et al. 2003). The features are
/// non-negative pixel intensities of the digits average-pooled to 14×14, read as a joint
/// distribution of images and pixels.
public struct SelfTaughtClusteringLab: Lab {
    /// "self-taught-clustering".
    public let name = "self-taught-clustering"
    /// The title.
    public let title = "Self-taught clustering with auxiliary digits"
    /// The claim.
    public let claim = """
        Co-clustering a few hundred target digits together with many unlabelled digits of other classes, sharing the pixel \
        clusters, is compared with k-means and co-clustering on the target alone.
        """
    /// MNIST.
    public let datasets = ["mnist"]

    /// The lab.
    public init() {}

    /// The target's classes and the auxiliary data's classes.
    static let targetDigits = [0, 1, 2, 3, 4], auxiliaryDigits = [5, 6, 7, 8, 9]

    /// Sizes of a run.
    struct Sizes {
        /// Target images (unlabelled for the clustering; labels only score it).
        var target: Int
        /// Auxiliary images.
        var auxiliary: Int
        /// |Z̃|, the shared feature clusters.
        var featureClusters: Int
        /// The λ values of the sweep (the headline uses `lambda`).
        var lambdas: [Double]
        /// Restarts of each co-clustering.
        var restarts: Int
        /// Seeds run (seed, seed+1, …).
        var seeds: Int
        /// λ of the headline.
        var lambda = 1.0
    }

    /// The methods compared on the target digits.
    enum Method: String, LabMethod {
        /// k-means on the target alone.
        case kMeans = "k-means"
        /// Co-clustering of the target alone (λ = 0, Dhillon et al. 2003).
        case targetOnly = "co-clustering (target only)"
        /// Co-clustering with the auxiliary digits (λ of the headline).
        case selfTaught = "self-taught clustering"

        /// Dai et al. 2008 have no MNIST numbers.
        var paper: Double? { nil }
    }

    /// Scores of one method on one seed.
    struct Score: Codable { var accuracy: Double; var nmi: Double }

    /// What a co-clustering run keeps: its score and its objective per iteration.
    struct Fit: Codable { var score: Score; var objective: [Double] }

    /// Runs every seed and records accuracy and NMI of each method.
    public func run(_ context: LabContext) throws {
        let sizes = context.options.quick
            ? Sizes(target: 200, auxiliary: 500, featureClusters: 32, lambdas: [0, 1], restarts: 1, seeds: 1)
            : Sizes(target: 300, auxiliary: 5000, featureClusters: 64, lambdas: [0, 0.25, 0.5, 1, 2, 4], restarts: 2, seeds: 3)
        let train = try MNIST.load(.train)
        let seed = context.options.seed
        var kmeans: [Score] = []
        var sweep: [[Score]] = []     // sweep[s][l]
        var objective: [Double] = []
        let units = sizes.seeds * (1 + sizes.lambdas.count)
        for s in 0..<sizes.seeds {
            let seedS = seed &+ UInt64(s)
            let target = sample(train, digits: Self.targetDigits, count: sizes.target, seed: seedS &* 53)
            let auxiliary = sample(train, digits: Self.auxiliaryDigits, count: sizes.auxiliary, seed: seedS &* 59 &+ 1)
            // k-means and each co-clustering are quick: each is one step of its loop, its score tracked.
            let km = Tracked(Score(accuracy: 0, nmi: 0))
            try context.train("seed \(seedS), k-means", steps: 1, tracking: ["score": km]) { _ in
                km.value = try score(try KMeans(k: Self.targetDigits.count, seed: seedS &+ 100).fit(target.x).assignments, target.labels)
                return [:]
            }
            kmeans.append(km.value)
            context.progress(step: s * (1 + sizes.lambdas.count) + 1, of: units, note: "seed \(seedS): k-means")
            var bySeed: [Score] = []
            for (l, lambda) in sizes.lambdas.enumerated() {
                let stc = SelfTaughtClustering(targetClusters: Self.targetDigits.count, auxiliaryClusters: Self.auxiliaryDigits.count,
                                               featureClusters: sizes.featureClusters, lambda: lambda, maxIterations: 50,
                                               restarts: sizes.restarts, seed: seedS &+ 200)
                let fit = Tracked(Fit(score: Score(accuracy: 0, nmi: 0), objective: []))
                try context.train("seed \(seedS), λ = \(lambda)", steps: 1, tracking: ["fit": fit]) { _ in
                    let result = try stc.fit(target: target.x, auxiliary: auxiliary.x)
                    fit.value = Fit(score: try score(result.targetAssignments, target.labels), objective: result.objective)
                    return ["objective": result.objective.last ?? .nan]
                }
                bySeed.append(fit.value.score)
                if s == 0 && lambda == sizes.lambda { objective = fit.value.objective }
                context.progress(step: s * (1 + sizes.lambdas.count) + 2 + l, of: units, note: "seed \(seedS): λ = \(lambda)")
            }
            sweep.append(bySeed)
        }
        record(kmeans: kmeans, sweep: sweep, objective: objective, sizes: sizes, context: context)
    }

    /// A seeded sample of `count` images of `digits`, average-pooled to 14×14 and flattened to
    /// [count, 196] (intensities in [0, 1]), with their digits as labels.
    func sample(_ data: MNIST, digits: [Int], count: Int, seed: UInt64) -> (x: Tensor, labels: [Int]) {
        let labels = data.labels.scalars
        let all = labels.indices.filter { digits.contains(Int(labels[$0])) }
        let chosen = RandomGenerator(seed: seed).permutation(all.count).prefix(min(count, all.count)).map { all[$0] }
        let images = data.images.indexSelect(axis: 0, indices: Tensor(indices: chosen)).scalars
        var pooled = [Float](repeating: 0, count: chosen.count * 196)
        for n in 0..<chosen.count {
            for r in 0..<14 {
                for c in 0..<14 {
                    let base = n * 784 + 2 * r * 28 + 2 * c
                    pooled[n * 196 + r * 14 + c] = (images[base] + images[base + 1] + images[base + 28] + images[base + 29]) / 4
                }
            }
        }
        return (Tensor(pooled, shape: [chosen.count, 196]), chosen.map { Int(labels[$0]) })
    }

    /// Clustering accuracy (%) and NMI of `assignments` against `labels`.
    func score(_ assignments: [Int], _ labels: [Int]) throws -> Score {
        Score(accuracy: 100 * (try ClusteringMetrics.bestMatchAccuracy(predicted: assignments, labels: labels)),
              nmi: try ClusteringMetrics.normalizedMutualInformation(predicted: assignments, labels: labels))
    }

    /// Records the metrics, the bars, the λ sweep, the objective and the notes.
    func record(kmeans: [Score], sweep: [[Score]], objective: [Double], sizes: Sizes, context: LabContext) {
        let seeds = kmeans.count
        let head = sizes.lambdas.firstIndex(of: sizes.lambda)!, alone = sizes.lambdas.firstIndex(of: 0)!
        let scores: [Method: [Score]] = [.kMeans: kmeans, .targetOnly: sweep.map { $0[alone] }, .selfTaught: sweep.map { $0[head] }]
        let dai = "Dai et al. 2008 report self-taught clustering beating k-means and target-only co-clustering on Caltech-256 image "
            + "pairs and triples (SIFT bag-of-words, entropy measure); they have no MNIST numbers"
        let spread = "standard deviation over \(seeds) seeds"
        var stats: [Method: (acc: (mean: Double, std: Double), nmi: (mean: Double, std: Double))] = [:]
        for method in Method.all {
            let name = method.rawValue, runs = scores[method]!
            let acc = ClassifierKit.meanStd(runs.map(\.accuracy)), nmi = ClassifierKit.meanStd(runs.map(\.nmi))
            stats[method] = (acc, nmi)
            context.metric("\(name) accuracy", acc.mean, unit: "%", note: method == .selfTaught ? dai : nil)
            if seeds > 1 { context.metric("\(name) accuracy std", acc.std, unit: "%", note: spread) }
            context.metric("\(name) NMI", nmi.mean)
            if seeds > 1 { context.metric("\(name) NMI std", nmi.std, note: spread) }
        }
        context.figure(.bars(title: "Clustering accuracy on the target digits", labels: Method.all.map(\.rawValue),
                             series: [("mean over seeds", Method.all.map { stats[$0]!.acc.mean })], unit: "%",
                             caption: "Accuracy under the best one-to-one matching of clusters to digits, \(sizes.target) target digits "
                                + "0–4, mean over \(seeds) seed(s)."))
        context.figure(.bars(title: "Normalized mutual information on the target digits", labels: Method.all.map(\.rawValue),
                             series: [("mean over seeds", Method.all.map { stats[$0]!.nmi.mean })], unit: "",
                             caption: "NMI (arithmetic mean of the entropies) between the clusters and the digits, mean over \(seeds) "
                                + "seed(s)."))
        let sweepCurve = context.curve("accuracy against λ", x: "λ (weight of the auxiliary data)", y: "clustering accuracy (%)")
        for (l, lambda) in sizes.lambdas.enumerated() {
            context.log(sweepCurve, series: "self-taught clustering", x: lambda, y: ClassifierKit.meanStd(sweep.map { $0[l].accuracy }).mean)
        }
        for lambda in sizes.lambdas {
            context.log(sweepCurve, series: "k-means", x: lambda, y: stats[.kMeans]!.acc.mean)
        }
        context.figure(.curve(sweepCurve, caption: "Target clustering accuracy as the auxiliary data's weight λ grows (λ = 0 is "
                                  + "co-clustering of the target alone), with k-means for reference."))
        let objectiveCurve = context.curve("objective", x: "iteration", y: "J (nats)")
        for (i, j) in objective.enumerated() {
            context.log(objectiveCurve, x: Double(i), y: j)
        }
        context.figure(.curve(objectiveCurve, caption: "The objective J = I(X;Z) − I(X̃;Z̃) + λ[I(Y;Z) − I(Ỹ;Z̃)] of the kept restart, "
                                  + "λ = \(sizes.lambda), first seed: it never increases."))

        let f1 = { (v: Double) in String(format: "%.1f", v) }, f3 = { (v: Double) in String(format: "%.3f", v) }
        context.note("""
            Target: \(sizes.target) MNIST training digits 0–4 (labels used only for scoring); auxiliary: \(sizes.auxiliary) \
            unlabelled digits 5–9. Features: pixel intensities average-pooled to 14×14 (196 non-negative values per image, each \
            image–pixel table normalised to a joint distribution). \(Self.targetDigits.count) target clusters, \
            \(Self.auxiliaryDigits.count) auxiliary clusters, \(sizes.featureClusters) shared pixel clusters, λ = \(sizes.lambda) \
            for the headline, k-means initialisation and \(sizes.restarts) restart(s) of each co-clustering; k-means with 10 \
            k-means++ restarts on the same pooled intensities. \(seeds) seed(s) (each draws its own target and auxiliary sample); \
            spreads are sample standard deviations over seeds.
            """)
        let (km, cc, st) = (stats[.kMeans]!, stats[.targetOnly]!, stats[.selfTaught]!)
        let diff = st.acc.mean - km.acc.mean
        let verdict = diff > km.acc.std + st.acc.std ? "beat k-means by \(f1(diff)) points of accuracy"
            : diff < -(km.acc.std + st.acc.std)
                ? "did worse than k-means by \(f1(-diff)) points of accuracy: on these features the auxiliary digits did not help"
                : "was within the seeds' spread of k-means (a difference of \(f1(diff)) points of accuracy)"
        context.note("""
            Self-taught clustering reached \(f1(st.acc.mean)) ± \(f1(st.acc.std))% accuracy and NMI \(f3(st.nmi.mean)) ± \
            \(f3(st.nmi.std)); k-means \(f1(km.acc.mean)) ± \(f1(km.acc.std))% and \(f3(km.nmi.mean)) ± \(f3(km.nmi.std)); \
            target-only co-clustering \(f1(cc.acc.mean)) ± \(f1(cc.acc.std))% and \(f3(cc.nmi.mean)) ± \(f3(cc.nmi.std)). So \
            self-taught clustering \(verdict), and its auxiliary term changed accuracy by \(f1(st.acc.mean - cc.acc.mean)) points \
            over co-clustering the target alone.
            """)
    }
}
