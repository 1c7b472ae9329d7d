import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Unsupervised domain adaptation by domain-adversarial training (Ganin et al. 2016,
/// "Domain-Adversarial Training of Neural Networks", JMLR 17, section 5.2): MNIST is the
/// labelled source, an MNIST-M-like domain (MNIST digits blended with patches of the bundled
/// photos) the unlabelled target, whose labels are used only to measure. Three networks of the
/// paper's MNIST architecture are compared: trained on the source only, trained with DANN (the
/// gradient reversal layer between the features and a domain classifier), and trained on the
/// labelled target (the upper bound). The features of both domains are projected to 2-D by PCA
/// before (source only) and after (DANN) adaptation, and a linear domain probe measures how
/// mixed they are.
public struct DANNLab: Lab {
    /// "dann".
    public let name = "dann"
    /// The title.
    public let title = "Domain-adversarial training from MNIST to MNIST-M-like colour digits"
    /// The claim.
    public let claim = """
        With no target labels, training the features to fool a domain classifier through a gradient reversal layer makes \
        source and target features look alike and raises the target accuracy well above a network trained on the source alone.
        """
    /// MNIST and the photo bank the target domain is blended from.
    public let datasets = ["mnist", "photos"]

    /// The lab.
    public init() {}

    /// The sizes of a run.
    struct Sizes {
        /// Source (MNIST) and target (MNIST-M-like) training images.
        var sourceTrain: Int, targetTrain: Int
        /// Test images of each domain; the learning curves use the first `curveTest` target ones.
        var test: Int, curveTest: Int
        /// Training steps; examples per domain in a batch (the paper: 64 + 64).
        var steps: Int, batch: Int
        /// Learning-curve points per run.
        var curvePoints: Int
        /// Test images per domain drawn in the projection and used by the domain probe.
        var projected: Int, probed: Int
        /// Seeds: options.seed, options.seed + 1, ...
        var seeds: Int
    }

    static func sizes(quick: Bool) -> Sizes {
        quick ? Sizes(sourceTrain: 600, targetTrain: 600, test: 300, curveTest: 300, steps: 60, batch: 32, curvePoints: 4,
                      projected: 100, probed: 150, seeds: 1)
              : Sizes(sourceTrain: 20000, targetTrain: 20000, test: 2000, curveTest: 1000, steps: 2000, batch: 64, curvePoints: 10,
                      projected: 400, probed: 1000, seeds: 3)
    }

    /// The methods, in the report's order.
    enum Method: String, LabMethod {
        /// Trained on the labelled source only.
        case sourceOnly = "source only"
        /// Domain-adversarial training: source labels plus unlabelled target images.
        case dann = "DANN"
        /// Trained on the labelled target (the upper bound).
        case trainOnTarget = "train on target"

        /// Ganin et al. 2016, table 2, MNIST → MNIST-M (target accuracy).
        var paper: Double? {
            switch self {
            case .sourceOnly: 52.25
            case .dann: 76.66
            case .trainOnTarget: 95.96
            }
        }
    }

    /// The seed of the target domain's patch placements (training and test), fixed across runs
    /// so that every seed sees the same domain.
    static let domainSeed: UInt64 = 2016

    /// The images the lab trains and tests on, with the per-channel mean removed.
    struct Domains {
        /// Source training images [N, 3, 28, 28] and labels.
        let source: Tensor, sourceLabels: Tensor
        /// Target training images and labels (the labels only for "train on target").
        let target: Tensor, targetLabels: Tensor
        /// Test images and labels of each domain.
        let sourceTest: Tensor, sourceTestLabels: Tensor, targetTest: Tensor, targetTestLabels: Tensor
        /// The per-channel mean that was subtracted.
        let channelMean: [Float]
    }

    /// MNIST repeated to three channels, and the MNIST-M-like domain; the mean colour of the
    /// two training sets together is subtracted from every image (the paper's preprocessing).
    static func domains(_ sizes: Sizes) throws -> Domains {
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        let rgb = { (images: Tensor, n: Int) -> Tensor in
            let grey = images.slice(axis: 0, start: 0, end: min(n, images.shape[0]))
            return Tensor.concat([grey, grey, grey], axis: 1)
        }
        let source = rgb(train.images, sizes.sourceTrain), sourceTest = rgb(test.images, sizes.test)
        let target = try MNISTM.load(.train, count: sizes.targetTrain, seed: domainSeed)
        let targetTest = try MNISTM.load(.test, count: sizes.test, seed: domainSeed &+ 1)
        let both = Tensor.concat([source, target.images], axis: 0)
        let mean = both.mean(axes: [0, 2, 3], keepDims: true)
        let centre = { (x: Tensor) in x - mean }
        return Domains(source: centre(source), sourceLabels: train.labels.slice(axis: 0, start: 0, end: source.shape[0]),
                       target: centre(target.images), targetLabels: target.labels,
                       sourceTest: centre(sourceTest), sourceTestLabels: test.labels.slice(axis: 0, start: 0, end: sourceTest.shape[0]),
                       targetTest: centre(targetTest.images), targetTestLabels: targetTest.labels, channelMean: mean.scalars)
    }

    /// What one trained network measured.
    struct Outcome {
        /// Accuracy on the target's and the source's test images, in %.
        var target: Double, source: Double
        /// Target accuracy (in %, on the curve's test images) after each curve step.
        var curve: [(step: Int, accuracy: Double)]
        /// The linear domain probe's held-out accuracy on the features, in %.
        var probe: Double?
        /// The trained model.
        var model: DANNModel
    }

    /// A point of a learning curve: target accuracy (%) after a step.
    struct CurvePoint: Codable { let step: Int, accuracy: Double }

    /// Trains one network by `method` for `sizes.steps` steps, through the training loop `loop`.
    static func train(_ method: Method, domains d: Domains, sizes: Sizes, seed: UInt64, loop: String,
                      context: LabContext) throws -> Outcome {
        let model = DANNModel.mnist(generator: RandomGenerator(seed: seed))
        let trainer = try DANNTrainer(model: model, mode: method == .dann ? .adversarial : .labelsOnly, totalSteps: sizes.steps)
        let (images, labels) = method == .trainOnTarget ? (d.target, d.targetLabels) : (d.source, d.sourceLabels)
        let labelled = DANNIndexStream(count: images.shape[0], batch: sizes.batch, seed: seed &+ 1)
        let unlabelled = DANNIndexStream(count: d.target.shape[0], batch: sizes.batch, seed: seed &+ 2)
        let curveImages = d.targetTest.slice(axis: 0, start: 0, end: min(sizes.curveTest, d.targetTest.shape[0]))
        let curveLabels = d.targetTestLabels.slice(axis: 0, start: 0, end: curveImages.shape[0])
        let every = max(1, sizes.steps / max(sizes.curvePoints, 1))
        let curve = Tracked([CurvePoint]())
        let tracking: KeyValuePairs<String, any Resumable> = ["trainer": trainer, "labelled batches": labelled,
                                                              "target batches": unlabelled, "curve": curve]
        try context.train(loop, steps: sizes.steps, tracking: tracking) { step in
            let li = Tensor(indices: labelled.next())
            let x = images.indexSelect(axis: 0, indices: li), y = labels.indexSelect(axis: 0, indices: li)
            let t: Tensor? = method == .dann ? d.target.indexSelect(axis: 0, indices: Tensor(indices: unlabelled.next())) : nil
            let result: DANNStepResult
            do {
                result = try trainer.step(source: x, labels: y, target: t)
            } catch let DANNError.nonFiniteLoss(_, value) {
                return ["loss": value]
            }
            if step.number % every == 0 || step.isLast {
                let accuracy = model.accuracy(curveImages, labels: curveLabels) * 100
                curve.value.append(CurvePoint(step: step.number, accuracy: accuracy))
            }
            return ["loss": result.labelLoss + (result.domainLoss ?? 0)]
        }
        return Outcome(target: model.accuracy(d.targetTest, labels: d.targetTestLabels) * 100,
                       source: model.accuracy(d.sourceTest, labels: d.sourceTestLabels) * 100,
                       curve: curve.value.map { ($0.step, $0.accuracy) }, probe: nil, model: model)
    }

    /// The first `n` test images of each domain.
    static func probeSets(_ d: Domains, _ n: Int) -> (source: Tensor, target: Tensor) {
        (d.sourceTest.slice(axis: 0, start: 0, end: min(n, d.sourceTest.shape[0])),
         d.targetTest.slice(axis: 0, start: 0, end: min(n, d.targetTest.shape[0])))
    }

    /// Trains every method for every seed, then reports.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick)
        let d = try Self.domains(sizes)
        let seeds = (0..<sizes.seeds).map { context.options.seed &+ UInt64($0) }
        context.planSteps(seeds.count * Method.allCases.count * sizes.steps)
        var scatter: [Method: [(x: Double, y: Double, label: Int)]] = [:]
        let (probeSource, probeTarget) = Self.probeSets(d, sizes.probed)
        let sweep = try SeedSweep<Method, Outcome>.run(seeds: seeds) { method, seed, k in
            let m = UInt64(Method.all.firstIndex(of: method)!)
            var outcome = try Self.train(method, domains: d, sizes: sizes, seed: seed &* 1000 &+ m &* 10,
                                         loop: "\(method.rawValue), seed \(seed)", context: context)
            if method != .trainOnTarget {
                let fs = outcome.model.extractFeatures(probeSource), ft = outcome.model.extractFeatures(probeTarget)
                outcome.probe = try DomainProbe.linearAccuracy(source: fs, target: ft, seed: seed) * 100
                if k == 0 { scatter[method] = try Self.projection(source: fs, target: ft, count: sizes.projected) }
            }
            return outcome
        }
        let rawProbe = try DomainProbe.linearAccuracy(source: probeSource.flatten(startAxis: 1),
                                                      target: probeTarget.flatten(startAxis: 1), seed: context.options.seed) * 100
        report(sweep, scatter: scatter, rawProbe: rawProbe, sizes: sizes, domains: d, context: context)
    }

    /// The first `count` rows of each domain's features projected on the top two principal
    /// components of those rows together; label 0 = source, 1 = target.
    static func projection(source: Tensor, target: Tensor, count: Int) throws -> [(x: Double, y: Double, label: Int)] {
        let s = source.slice(axis: 0, start: 0, end: min(count, source.shape[0]))
        let t = target.slice(axis: 0, start: 0, end: min(count, target.shape[0]))
        let both = Tensor.concat([s, t], axis: 0)
        let xy = try PrincipalComponents(data: both, count: 2).project(both).scalars
        return (0..<both.shape[0]).map { (Double(xy[2 * $0]), Double(xy[2 * $0 + 1]), $0 < s.shape[0] ? 0 : 1) }
    }

    /// Records metrics, figures and notes.
    func report(_ sweep: SeedSweep<Method, Outcome>, scatter: [Method: [(x: Double, y: Double, label: Int)]], rawProbe: Double,
                sizes: Sizes, domains d: Domains, context: LabContext) {
        let seeds = sweep.seedCount
        let f1 = { (v: Double) in String(format: "%.1f", v) }
        let colours = d.channelMean.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        context.note("""
            Source: MNIST, the first \(d.source.shape[0]) training digits repeated to three channels. \
            Target: \(d.target.shape[0]) MNIST training digits blended with 28x28 patches of the 32 bundled photos by \
            |patch - digit| (the MNIST-M recipe with other photos), labels used only by "train on target" and to measure. \
            Test: the first \(d.sourceTest.shape[0]) MNIST test digits and as many MNIST-M-like ones. \
            The mean colour of the two training sets (\(colours)) is subtracted. \
            Network (the paper's): conv 5x5x32 - pool - conv 5x5x48 - pool, label predictor 100-100-10, \
            domain classifier 100-2 behind the gradient reversal layer. \
            \(sizes.steps) SGD steps of \(sizes.batch) labelled images (DANN: plus \(sizes.batch) unlabelled target images), \
            momentum 0.9, μ_p = 0.01/(1+10p)^0.75 and λ_p = 2/(1+exp(-10p)) - 1 (the paper trains far longer). \
            Mean ± std over \(seeds) from \(context.options.seed).
            """)
        sweep.record("target accuracy", unit: "%", of: \.target,
                     detail: "MNIST-M-like test digits; the paper's is on the real MNIST-M", recordStd: true, in: context)
        sweep.record("source accuracy", unit: "%", of: \.source, paper: { _ in nil }, detail: "MNIST test digits", in: context)
        let probed: [Method] = [.sourceOnly, .dann]
        sweep.record("domain probe", unit: "%", of: \.probe, methods: probed, paper: { _ in nil },
                     detail: "held-out accuracy of a logistic regression telling source from target features (50% = mixed)", in: context)
        context.metric("raw pixels domain probe", rawProbe, unit: "%", note: "the same probe on the centred pixels")
        context.figure(.bars(title: "Target accuracy, MNIST → MNIST-M", labels: Method.all.map(\.rawValue),
                             series: [(name: "ours, mean over \(seeds)", values: Method.all.map { sweep.mean($0, \.target) }),
                                      (name: "Ganin et al. 2016, table 2", values: Method.all.map { $0.paper! })],
                             unit: "%", caption: "Accuracy on target test digits. Ours uses an MNIST-M-like target built from other photos "
                                + "and far fewer steps."))
        let curve = context.curve("target accuracy", x: "step", y: "target accuracy (%)")
        for m in Method.allCases {
            let runs = sweep[m]
            for (i, point) in runs[0].curve.enumerated() {
                context.log(curve, series: m.rawValue, x: Double(point.step), y: Statistics.mean(runs.map { $0.curve[i].accuracy }))
            }
        }
        let curveTest = min(sizes.curveTest, d.targetTest.shape[0])
        context.figure(.curve(curve, caption: "Accuracy on the first \(curveTest) target test digits during training, mean over \(seeds)."))
        let before = sweep.mean(.sourceOnly, \.probe), after = sweep.mean(.dann, \.probe)
        let domainNames = ["source (MNIST)", "target (MNIST-M-like)"]
        context.figure(.scatter(title: "Features before adaptation (source only)", points: scatter[.sourceOnly] ?? [], classNames: domainNames,
                                caption: "The 768 features of \(sizes.projected) test digits of each domain on their top two principal "
                                    + "components, first seed. A linear probe tells the domains apart \(f1(before))% of the time."))
        context.figure(.scatter(title: "Features after adaptation (DANN)", points: scatter[.dann] ?? [], classNames: domainNames,
                                caption: "The same digits through the DANN network's features. "
                                    + "A linear probe tells the domains apart \(f1(after))% of the time."))
        context.figure(.bars(title: "How well a linear probe tells the domains apart", labels: ["raw pixels", "source only", "DANN"],
                             series: [(name: "held-out accuracy", values: [rawProbe, before, after])], unit: "%",
                             caption: "A logistic regression trained on half of \(sizes.probed) test images per domain and tested on "
                                + "the other half; 50% means the features are mixed."))
        let so = sweep.meanStd(.sourceOnly, \.target), da = sweep.meanStd(.dann, \.target), tt = sweep.meanStd(.trainOnTarget, \.target)
        let gap = da.mean - so.mean
        let clear = gap > 2 * max(max(so.std, da.std), 1)
        let verdict = gap > 0
            ? (clear ? "beat source only by a clear margin"
                     : "beat source only, but by no more than the spread over seeds (or 2 points), so not by a clear margin")
            : "did not beat source only"
        let closed = tt.mean - so.mean > 0
            ? " It closed \(f1(100 * gap / (tt.mean - so.mean)))% of the gap between source only and train on target (\(f1(tt.mean))%)."
            : ""
        let sources = Method.all.map { f1(sweep.mean($0, \.source)) + "%" }.joined(separator: ", ")
        context.note("""
            DANN \(verdict): \(f1(da.mean)) ± \(f1(da.std))% against \(f1(so.mean)) ± \(f1(so.std))% on the target test digits, \
            \(gap >= 0 ? "+" : "")\(f1(gap)) points.\(closed) The paper reports 52.25%, 76.66% and 95.96% on the real MNIST-M \
            after much longer training. On the source, the three reach \(sources).
            """)
        let mixed = after < before ? "more mixed, by \(f1(before - after)) points"
                                   : "not more mixed than the source-only ones (\(f1(after - before)) points higher)"
        context.note("""
            Mixing: a linear probe separates the domains \(f1(rawProbe))% of the time on the pixels, \(f1(before))% on the \
            source-only features and \(f1(after))% on the DANN features (50% = indistinguishable); DANN's features are \(mixed). \
            The 2-D pictures show the same features on their two leading principal components.
            """)
    }
}
