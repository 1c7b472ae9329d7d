import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// Zero-shot learning on Fashion-MNIST with three classes never seen in training (Pullover,
/// Dress, Ankle boot), recognised from side information alone: direct attribute prediction
/// (Lampert et al. 2009) with a hand-made attribute table, DeViSE's embedding model (Frome et
/// al. 2013) with the classes' name embeddings and with the attribute table as the embedding,
/// and ConSE (Norouzi et al. 2014) on the seen-class classifier with the name embeddings; in
/// the zero-shot setting (candidates: the unseen classes) and the generalized one (candidates:
/// all ten). A second task identifies never-seen animals of the UCI zoo table from their names.
public struct ZeroShotLab: Lab {
    /// "zero-shot".
    public let name = "zero-shot"
    /// The title.
    public let title = "Zero-shot learning: attributes and embeddings for unseen classes"
    /// The claim.
    public let claim = """
        Classes never seen in training can be recognised well above chance from attribute descriptions or name embeddings alone \
        (DAP, DeViSE, ConSE), but when seen classes are also candidates the predictions collapse onto them (low harmonic mean H).
        """
    /// Fashion-MNIST (fetched), the bundled class-name embeddings and the UCI zoo table.
    public let datasets = ["fashion-mnist", "class-embeddings", "uci-zoo"]
    /// Where Fashion-MNIST is looked for (nil: the user's data folder, `GRAFT_DATA`).
    public let dataHome: URL?

    /// The lab, reading fetched data from `dataHome` (the user's data folder by default).
    public init(dataHome: URL? = nil) { self.dataHome = dataHome }

    /// The data folder in use.
    var home: URL { dataHome ?? DataHome.directory }

    /// The fetched data sets missing from the data folder in use.
    public func missingData() -> [String] { LabData.missingFetched(datasets, dataHome: home) }

    /// The held-out classes (Fashion-MNIST labels): one top, one full-length garment and one
    /// shoe, each describable by attributes the seen classes show (see `FashionAttributes`).
    static let unseen = [2, 3, 9]
    /// The seen classes, in label order.
    static let seen = (0..<10).filter { !unseen.contains($0) }
    /// The methods, in report order.
    enum Method: String, LabMethod {
        /// Direct attribute prediction, with the seen classes' attribute frequencies as the prior.
        case dap = "DAP"
        /// Direct attribute prediction with a uniform prior (½ for every attribute).
        case dapUniform = "DAP, uniform prior"
        /// DeViSE's projection into the class-name embeddings.
        case deviseNames = "DeViSE, name embeddings"
        /// DeViSE's projection into the attribute table (rows scaled to unit length).
        case deviseAttributes = "DeViSE, attribute embeddings"
        /// ConSE: the seen-class probabilities average the seen classes' name embeddings.
        case conse = "ConSE, name embeddings"

        /// No paper reports these methods on Fashion-MNIST with these unseen classes.
        var paper: Double? { nil }

        /// The method's short name in image captions.
        var short: String {
            switch self {
            case .dap: "DAP"
            case .dapUniform: "DAP-u"
            case .deviseNames: "DeViSE-n"
            case .deviseAttributes: "DeViSE-a"
            case .conse: "ConSE"
            }
        }
    }

    /// The curves of a run.
    struct Curves {
        /// Mean training loss per epoch of the seen-class classifier and of the attribute network.
        let loss: CurveHandle
        /// DeViSE's mean hinge rank loss per epoch.
        let hinge: CurveHandle

        /// The curves of `context`'s run.
        init(_ context: LabContext) {
            loss = context.curve("training loss", x: "epoch", y: "mean loss")
            hinge = context.curve("DeViSE hinge rank loss", x: "epoch", y: "mean hinge rank loss")
        }
    }
    /// ConSE's T: the number of most probable seen classes averaged.
    static let conseTop = 3

    /// Sizes of a run.
    struct Sizes {
        /// Seen-class training images (at most).
        var train: Int
        /// Test images of all ten classes (at most).
        var test: Int
        /// Epochs of the seen-class classifier and of the attribute network.
        var epochs: Int
        /// Epochs of the DeViSE projections.
        var projectionEpochs: Int
        /// Seeds run (seed, seed+1, ...).
        var seeds: Int
        /// Full-batch Adam steps of each zoo attribute classifier.
        var zooEpochs: Int
    }

    /// What one method measured for one seed (accuracies in [0, 1]).
    struct MethodResult {
        /// Mean class accuracy on unseen-class test images with the unseen classes as candidates.
        var zsl: Double
        /// The same per unseen class, in `unseen` order.
        var perClass: [Double]
        /// Generalized setting: mean class accuracy on seen-class test images (S).
        var seen: Double
        /// Generalized setting: mean class accuracy on unseen-class test images (U).
        var unseen: Double
        /// The harmonic mean of S and U.
        var h: Double
        /// The zero-shot prediction (a Fashion-MNIST label) of each test image (-1 for seen-class images).
        var zslPredicted: [Int]
        /// The generalized prediction of each test image.
        var gzslPredicted: [Int]
    }

    /// Runs the Fashion-MNIST task for every seed, then the zoo task, and records everything.
    public func run(_ context: LabContext) throws {
        let missing = missingData()
        guard missing.isEmpty else {
            throw LabError("zero-shot needs \(missing.joined(separator: ", ")), which is not in \(home.path): "
                           + "run `graft data fetch fashion-mnist` (or set GRAFT_DATA to a folder that has it)")
        }
        let quick = context.options.quick
        let sizes = quick
            ? Sizes(train: 6000, test: 2000, epochs: 3, projectionEpochs: 10, seeds: 1, zooEpochs: 300)
            : Sizes(train: 42_000, test: 10_000, epochs: 10, projectionEpochs: 30, seeds: 3, zooEpochs: 300)
        let train = try FashionMNIST.load(.train, dataHome: home), test = try FashionMNIST.load(.test, dataHome: home)
        let names = try ClassNameEmbeddings.load(.fashionMNIST)
        guard FashionAttributes.firstIdenticalPair() == nil,
              FashionAttributes.unlearnable(seen: Self.seen, unseen: Self.unseen).isEmpty else {
            throw LabError("the Fashion-MNIST attribute table has two identical rows or an attribute no seen class has")
        }
        let seed = context.options.seed
        var classifierAccuracy: [Double] = []
        var firstTest: (x: Tensor, y: [Int])?
        let units = sizes.seeds * 4 + 1
        let curves = Curves(context)
        // One seed's networks serve every method: the seed's first method trains and scores them
        // all, and the others take their results.
        var scored: (k: Int, methods: [Method: MethodResult])?
        let seeds = (0..<sizes.seeds).map { seed &+ UInt64($0) }
        let sweep = try SeedSweep<Method, MethodResult>.run(seeds: seeds) { method, seedS, k in
            if scored?.k != k {
                let trainSet = Self.sample(train, classes: Self.seen, limit: sizes.train, seed: seedS &* 53 &+ 1)
                let testSet = Self.sample(test, classes: Array(0..<10), limit: sizes.test, seed: seedS &* 59 &+ 2)
                if firstTest == nil { firstTest = testSet }
                let r = try runSeed(train: trainSet, test: testSet, names: names, sizes: sizes, seed: seedS, unit: k * 4, of: units,
                                    curves: curves, context: context)
                classifierAccuracy.append(r.classifierAccuracy)
                scored = (k, r.methods)
            }
            return scored!.methods[method]!
        }
        let zoo = try UCIZoo.load(), zooNames = try ClassNameEmbeddings.load(.uciZoo)
        let zooResults = try (0..<sizes.seeds).map { s in
            try ZooZeroShot.run(zoo: zoo, embeddings: zooNames, epochs: sizes.zooEpochs, seed: seed &+ UInt64(s) &* 61 &+ 3,
                                context: context)
        }
        context.progress(step: units, of: units, note: "zoo task done")
        record(sweep, classifierAccuracy: classifierAccuracy, firstTest: firstTest!, sizes: sizes, curves: curves, context: context)
        recordZoo(zooResults, zoo: zoo, context: context)
    }

    /// Flattened images [N, 784] of `classes`, a seeded sample of at most `limit`, with their labels.
    static func sample(_ data: FashionMNIST, classes: [Int], limit: Int, seed: UInt64) -> (x: Tensor, y: [Int]) {
        let labels = data.labels.scalars.map { Int($0) }
        let order = RandomGenerator(seed: seed).permutation(labels.count)
        let chosen = Array(order.filter { classes.contains(labels[$0]) }.prefix(limit))
        let x = data.images.indexSelect(axis: 0, indices: Tensor(indices: chosen)).reshape([chosen.count, 784])
        return (x, chosen.map { labels[$0] })
    }

    /// `layer` applied to `x` in eval mode, without gradients, 2,000 rows at a time.
    static func apply(_ layer: Module & UnaryLayer, _ x: Tensor) -> Tensor {
        layer.eval()
        var parts: [Tensor] = []
        noGrad {
            var start = 0
            while start < x.shape[0] {
                let end = min(start + 2000, x.shape[0])
                parts.append(layer(x.slice(axis: 0, start: start, end: end)))
                start = end
            }
        }
        return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
    }

    /// Rows of `matrix` [C, E] scaled to unit length (zero rows stay zero).
    static func unitRows(_ matrix: Tensor) -> Tensor {
        matrix / maximum(matrix.norm(axes: [1], keepDims: true), Tensor(1e-12))
    }

    /// Runs the mini-batch training `make` builds for `epochs` epochs as the training loop `loop`,
    /// then logs its mean loss per epoch to `series` of `curve`. A `ZeroShotError` while building
    /// it fails the lab, naming the loop.
    static func fit(_ loop: String, epochs: Int, curve: CurveHandle, series: String, context: LabContext,
                    _ make: () throws -> MiniBatchTraining) throws {
        let training: MiniBatchTraining
        do { training = try make() } catch let error as ZeroShotError { throw LabError("\(loop): \(error)") }
        try context.train(loop, steps: epochs * training.batchesPerEpoch, tracking: ["training": training]) { _ in
            ["loss": Double(training.step())]
        }
        for (e, l) in training.history.enumerated() { context.log(curve, series: series, x: Double(e + 1), y: Double(l)) }
    }

    /// Trains the seen-class classifier, the attribute network and the two projections for one
    /// seed and scores the test images with every method.
    func runSeed(train: (x: Tensor, y: [Int]), test: (x: Tensor, y: [Int]), names: ClassNameEmbeddings, sizes: Sizes, seed: UInt64,
                 unit: Int, of units: Int, curves: Curves,
                 context: LabContext) throws -> (methods: [Method: MethodResult], classifierAccuracy: Double) {
        let seen = Self.seen
        let seenIndex = train.y.map { seen.firstIndex(of: $0)! }
        let trunk = Sequential(Linear(784, 256, generator: RandomGenerator(seed: seed &+ 10)), ReLU(),
                               Linear(256, 128, generator: RandomGenerator(seed: seed &+ 11)), ReLU())
        let classifier = Sequential([trunk, Linear(128, seen.count, generator: RandomGenerator(seed: seed &+ 12))])
        let labelled = LabeledSet(images: train.x, labels: Tensor(seenIndex.map(Float.init), shape: [seenIndex.count]))
        let optimizer = ClassifierKit.adam(classifier, learningRate: 1e-3)
        for epoch in 0..<sizes.epochs {
            let loss = try ClassifierKit.train(classifier, on: labelled, epochs: 1, batch: 128, optimizer: optimizer,
                                                seed: seed &+ 13 &+ UInt64(epoch) &* 1000, context: context,
                                                loop: "seed \(seed), seen-class classifier, epoch \(epoch + 1)")
            context.log(curves.loss, series: "seen-class classifier, seed \(seed)", x: Double(epoch + 1), y: loss)
        }
        context.progress(step: unit + 1, of: units, note: "seed \(seed): seen-class classifier trained")
        let seenTestRows = test.y.indices.filter { seen.contains(test.y[$0]) }
        let seenTestLabels = seenTestRows.map { Float(seen.firstIndex(of: test.y[$0])!) }
        let seenTest = LabeledSet(images: test.x.indexSelect(axis: 0, indices: Tensor(indices: seenTestRows)),
                                  labels: Tensor(seenTestLabels, shape: [seenTestRows.count]))
        let classifierAccuracy = ClassifierKit.accuracy(classifier, on: seenTest)

        // DAP: one network with an output per attribute, trained on the seen classes' signatures.
        let signatures = FashionAttributes.signatures, m = FashionAttributes.attributes.count
        let attributeNet = Sequential(Linear(784, 256, generator: RandomGenerator(seed: seed &+ 20)), ReLU(),
                                      Linear(256, m, generator: RandomGenerator(seed: seed &+ 21)))
        let targets = Tensor(train.y.flatMap { FashionAttributes.table[$0] }, shape: [train.y.count, m])
        try Self.fit("seed \(seed), attribute network", epochs: sizes.epochs, curve: curves.loss, series: "attribute network, seed \(seed)",
                     context: context) {
            try DirectAttributePrediction.training(attributeNet, inputs: train.x, targets: targets, batchSize: 128, learningRate: 1e-3,
                                                   seed: seed &+ 22)
        }
        attributeNet.eval()
        let probabilities = DirectAttributePrediction.attributeProbabilities(attributeNet, inputs: test.x)
        let seenSignatures = signatures.indexSelect(axis: 0, indices: Tensor(indices: seen))
        let prior = DirectAttributePrediction.Prior.frequencies(try DirectAttributePrediction.frequencies(of: seenSignatures))
        let dap = try DirectAttributePrediction.scores(probabilities: probabilities, signatures: signatures, prior: prior)
        let dapUniform = try DirectAttributePrediction.scores(probabilities: probabilities, signatures: signatures, prior: .uniform)
        context.progress(step: unit + 2, of: units, note: "seed \(seed): attribute network trained")

        // DeViSE: a linear map from the classifier's 128 penultimate features into each embedding space.
        let trainFeatures = Self.apply(trunk, train.x), testFeatures = Self.apply(trunk, test.x)
        let labels = Tensor(seenIndex.map(Float.init), shape: [seenIndex.count])
        var devise: [Tensor] = []
        let spaces = [("name embeddings", names.vectors), ("attribute embeddings", Self.unitRows(signatures))]
        for (k, (what, embedding)) in spaces.enumerated() {
            let projection = Linear(128, embedding.shape[1], generator: RandomGenerator(seed: seed &+ 30 &+ UInt64(k)))
            try Self.fit("seed \(seed), DeViSE on \(what)", epochs: sizes.projectionEpochs, curve: curves.hinge,
                         series: "\(what), seed \(seed)", context: context) {
                try EmbeddingModel.training(projection, features: trainFeatures, labels: labels,
                                            classEmbeddings: embedding.indexSelect(axis: 0, indices: Tensor(indices: seen)),
                                            batchSize: 128, learningRate: 1e-3, margin: 0.1, seed: seed &+ 40 &+ UInt64(k))
            }
            projection.eval()
            devise.append(try ClassScores.similarity(EmbeddingModel.project(projection, features: testFeatures), embedding, .cosine))
        }
        context.progress(step: unit + 3, of: units, note: "seed \(seed): DeViSE projections trained")

        // ConSE: the classifier's probabilities over the seen classes, no further training.
        let p = Self.apply(classifier, test.x).softmax(axis: 1)
        let seenNames = names.vectors.indexSelect(axis: 0, indices: Tensor(indices: seen))
        let conseEmbedded = try ConSE.embed(probabilities: p, seenEmbeddings: seenNames, top: Self.conseTop)
        let conse = try ClassScores.similarity(conseEmbedded, names.vectors, .cosine)
        context.progress(step: unit + 4, of: units, note: "seed \(seed): scored")

        let scores: [Method: Tensor] = [.dap: dap, .dapUniform: dapUniform, .deviseNames: devise[0], .deviseAttributes: devise[1],
                                        .conse: conse]
        return (try scores.mapValues { try Self.evaluate(scores: $0, labels: test.y) }, classifierAccuracy)
    }

    /// The zero-shot and generalized results of one method from its scores [N, 10] of every test
    /// image against every class: zero-shot uses the unseen images and the unseen columns only.
    static func evaluate(scores: Tensor, labels: [Int]) throws -> MethodResult {
        let all = ClassScores.argmax(scores)
        let unseenColumns = scores.indexSelect(axis: 1, indices: Tensor(indices: unseen))
        let zslAll = ClassScores.argmax(unseenColumns).map { unseen[$0] }
        let unseenRows = labels.indices.filter { unseen.contains(labels[$0]) }
        let seenRows = labels.indices.filter { !unseen.contains(labels[$0]) }
        let zslPredicted = labels.indices.map { unseen.contains(labels[$0]) ? zslAll[$0] : -1 }
        let truthU = unseenRows.map { labels[$0] }, truthS = seenRows.map { labels[$0] }
        let zsl = try ZeroShotMetrics.meanClassAccuracy(predicted: unseenRows.map { zslAll[$0] }, truth: truthU, classes: unseen)
        let perClass = try ZeroShotMetrics.perClassAccuracy(predicted: unseenRows.map { zslAll[$0] }, truth: truthU, classes: unseen)
            .map { $0 ?? 0 }
        let s = try ZeroShotMetrics.meanClassAccuracy(predicted: seenRows.map { all[$0] }, truth: truthS, classes: seen)
        let u = try ZeroShotMetrics.meanClassAccuracy(predicted: unseenRows.map { all[$0] }, truth: truthU, classes: unseen)
        return MethodResult(zsl: zsl, perClass: perClass, seen: s, unseen: u, h: ZeroShotMetrics.harmonicMean(seen: s, unseen: u),
                            zslPredicted: zslPredicted, gzslPredicted: all)
    }
}
