import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Evaluating a generator when its likelihood is not available: a DCGAN (Radford et al. 2016)
/// trained on MNIST is scored with a Parzen-window estimate (Goodfellow et al. 2014, Table 1:
/// 225 +- 2 nats for their MNIST GAN), the classifier score (Salimans et al. 2016), FID (Heusel
/// et al. 2017), KID (Binkowski et al. 2018) and precision/recall (Kynkaanniemi et al. 2019), all
/// on a digit classifier's features, next to the same numbers for held-out real digits and for a
/// "generator" that memorises: it returns training digits shifted by a pixel or two. Nearest
/// training neighbours in pixel space miss those copies; the shift-tolerant distance finds them.
public struct GANEvalLab: Lab {
    /// "gan-eval".
    public let name = "gan-eval"
    /// The title.
    public let title = "Evaluating a GAN: likelihood estimates, classifier scores and memorization"
    /// The claim.
    public let claim = """
        Sample-quality metrics (classifier score, FID, KID, precision/recall, Parzen) rate a generator that merely copies its \
        training data highly; nearest training neighbours in pixel space miss copies shifted by a pixel or two, and only a \
        shift-tolerant check finds them.
        """
    /// MNIST.
    public let datasets = ["mnist"]

    /// The lab.
    public init() {}

    /// Sizes of a run.
    struct Sizes { var ganSteps: Int; var classifierTrain: Int; var classifierEpochs: Int; var evaluated: Int; var training: Int }

    /// Trains the classifier and the GAN, then measures the three sample sets.
    public func run(_ context: LabContext) throws {
        let quick = context.options.quick
        let sizes = quick ? Sizes(ganSteps: 60, classifierTrain: 3000, classifierEpochs: 1, evaluated: 200, training: 2000)
                          : Sizes(ganSteps: 3000, classifierTrain: 60000, classifierEpochs: 4, evaluated: 1000, training: 10000)
        let seed = context.options.seed
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        let n = sizes.evaluated
        guard test.count >= 4 * n else { throw LabError("MNIST's test set has \(test.count) images; the lab needs \(4 * n)") }
        let testSlice = { (k: Int) in test.images.slice(axis: 0, start: k * n, end: (k + 1) * n) }
        let heldOut = testSlice(0), reference = testSlice(1), validation = testSlice(2), parzenTest = testSlice(3)

        // 1. The digit classifier: its features and probabilities feed the metrics. A full run
        // trains it once and keeps it in GRAFT_DATA/models; later runs with the seed reuse it.
        let classifier = DigitClassifier(generator: RandomGenerator(seed: seed &+ 100))
        let cached = DataHome.directory.appendingPathComponent("models/digit-classifier-4epochs-seed\(seed).safetensors")
        let classifierSteps = sizes.classifierEpochs * ((sizes.classifierTrain + 127) / 128)
        if !quick, (try? Checkpoint.load(from: cached, into: classifier)) != nil {
            context.planSteps(sizes.ganSteps)
            context.note("The digit classifier was loaded from \(cached.path) (trained by an earlier full run with this seed).")
        } else {
            context.planSteps(sizes.ganSteps + classifierSteps)
            let training = DigitClassifierTraining(classifier, images: train.images.slice(axis: 0, start: 0, end: sizes.classifierTrain),
                                                   labels: train.labels.slice(axis: 0, start: 0, end: sizes.classifierTrain),
                                                   epochs: sizes.classifierEpochs, seed: seed &+ 101)
            try context.train("digit classifier", steps: training.totalSteps, tracking: ["training": training]) { _ in
                ["loss": Double(training.step())]
            }
            classifier.eval()
            if !quick {
                try? FileManager.default.createDirectory(at: cached.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? Checkpoint.save(model: classifier, step: classifierSteps, to: cached)
            }
        }
        try testAccuracy(classifier, test, note: quick ? nil : "the issue asks for at least 99%", context: context)
        try Checkpoint.save(model: classifier, step: classifierSteps, to: context.folder.appendingPathComponent("digit-classifier.safetensors"))

        // 2. The GAN.
        let gan = DCGANTrainer(loss: .nonSaturating, seed: seed &+ 200)
        let random = RandomGenerator(seed: seed &+ 201)
        let lossCurve = context.curve("GAN losses", x: "step", y: "loss")
        try context.train("GAN", steps: sizes.ganSteps, tracking: ["GAN": gan, "batches": random]) { step in
            let idx = Tensor(indices: (0..<64).map { _ in Int(random.next() % UInt64(train.count)) })
            let losses = gan.step(real: train.images.indexSelect(axis: 0, indices: idx))
            if step.number % 10 == 0 || step.isLast {
                let x = Double(step.number)
                step.log(lossCurve, series: "discriminator", x: x, y: Double(losses.discriminator))
                step.log(lossCurve, series: "generator", x: x, y: Double(losses.generator))
            }
            return ["D": Double(losses.discriminator), "G": Double(losses.generator)]
        }

        // 3. The three sample sets.
        let trainingPool = train.images.slice(axis: 0, start: 0, end: sizes.training)
        let generated = gan.sample(n)
        let copies = Self.memorizer(trainingPool, count: n, seed: seed &+ 300)
        let sets: [(name: String, images: Tensor)] = [("GAN", generated), ("held-out real", heldOut), ("memorizer", copies.images)]
        let referenceView = classifier.describe(reference)
        let flat = { (x: Tensor) in x.reshape([x.shape[0], 784]) }
        var table: [String: [Double]] = [:]
        for set in sets {
            let view = classifier.describe(set.images)
            let score = try ClassifierScore.evaluate(probabilities: view.probabilities, splits: quick ? 2 : 10)
            let fid = try FID.evaluate(view.features, referenceView.features)
            let kid = try KID.evaluate(view.features, referenceView.features, subsets: quick ? 5 : 50, subsetSize: n / 2, seed: seed)
            let pr = try PrecisionRecall.evaluate(real: referenceView.features, fake: view.features, k: 3)
            let parzen = try Parzen.evaluate(samples: flat(set.images), validation: flat(validation), test: flat(parzenTest))
            let memo = try Memorization.evaluate(generated: flat(set.images), training: flat(trainingPool),
                                                 test: flat(heldOut.slice(axis: 0, start: 0, end: n / 2)), maxShift: 2)
            let values: [(String, Double, String)] = [
                ("Parzen log-likelihood", parzen.meanLogLikelihood, " nats"), ("classifier score", score.score, ""),
                ("mean confidence", score.meanConfidence * 100, "%"), ("classes covered", Double(score.classesCovered), ""),
                ("FID", fid.fid, ""), ("KID", kid.mean, ""), ("precision", pr.precision * 100, "%"), ("recall", pr.recall * 100, "%"),
                ("closer to training than test is (pixels)", (memo.pixel.fractionCloserThanTestMedian ?? .nan) * 100, "%"),
                ("closer to training than test is (shift-tolerant)", (memo.shifted?.fractionCloserThanTestMedian ?? .nan) * 100, "%"),
            ]
            for (metric, value, unit) in values {
                let paper: Double? = (set.name == "GAN" && metric == "Parzen log-likelihood") ? 225 : nil
                context.metric("\(set.name): \(metric)", value, unit: unit, paper: paper,
                               note: paper != nil ? "Goodfellow et al. 2014, Table 1: 225 +- 2 for their MNIST GAN (pixels in [0, 1])" : nil,
                               tolerance: paper != nil ? 100 : nil)
                table[metric, default: []].append(value)
            }
            if set.name == "GAN" {
                context.note(String(format: "Parzen on the GAN's samples chose sigma %.3f; standard error %.1f nats.",
                                    parzen.sigma, parzen.standardError))
            }
            if set.name == "memorizer" {
                let shifted = memo.shifted?.shifts.filter { $0.dx != 0 || $0.dy != 0 }.count ?? 0
                context.note("The shift-tolerant search matched \(shifted) of the memorizer's \(n) copies to a training digit through a shift; "
                             + "the copies were made with shifts of 1 or 2 pixels.")
                let shown = 8
                let pixelIndices = Array(memo.pixel.indices.prefix(shown))
                let shiftedIndices = Array((memo.shifted?.indices ?? memo.pixel.indices).prefix(shown))
                let pairs = Tensor.concat([copies.images.slice(axis: 0, start: 0, end: shown),
                                           trainingPool.indexSelect(axis: 0, indices: Tensor(indices: pixelIndices)),
                                           trainingPool.indexSelect(axis: 0, indices: Tensor(indices: shiftedIndices))], axis: 0)
                context.figure(.images(title: "Memorizer: copies, nearest training digit in pixels, nearest with shifts", images: pairs,
                                       columns: shown, captions: [],
                                       caption: "Row 1: the memorizer's outputs (training digits shifted by 1 or 2 pixels). Row 2: their nearest "
                                          + "training digit by pixel distance. Row 3: by the shift-tolerant distance, which finds the source."))
            }
        }
        context.figure(.images(title: "GAN samples", images: generated.slice(axis: 0, start: 0, end: 32), columns: 8, captions: [],
                               caption: "The first 32 samples of the DCGAN after \(sizes.ganSteps) steps."))
        context.figure(.curve(lossCurve, caption: "Non-saturating GAN losses (every 10th step)."))
        let names = sets.map(\.name)
        for metric in ["classifier score", "FID", "precision", "closer to training than test is (shift-tolerant)"] {
            context.figure(.bars(title: metric, labels: names, series: [("value", table[metric] ?? [])], unit: "",
                                 caption: "\(metric) for each set of \(n) images; features from the digit classifier, "
                                    + "reference = \(n) other test digits."))
        }
        let score = table["classifier score"] ?? [], fidValues = table["FID"] ?? []
        let copied = table["closer to training than test is (shift-tolerant)"] ?? []
        if score.count == 3 && fidValues.count == 3 && copied.count == 3 {
            let beatsGAN = score[2] > score[0] && fidValues[2] < fidValues[0]
            context.note(String(format: """
                                On the sample-quality metrics the memorizer %@ the GAN (classifier score %.2f against %.2f, real digits %.2f; \
                                FID %.2f against %.2f, real digits %.2f). The memorization check tells them apart: %.0f%% of the memorizer's \
                                samples are closer to a training digit than the typical test digit is under the shift-tolerant distance \
                                (%.0f%% in pixels), against %.0f%% for held-out real digits and %.0f%% for the GAN.
                                """,
                                beatsGAN ? "beats" : "does not beat", score[2], score[0], score[1], fidValues[2], fidValues[0], fidValues[1],
                                copied[2], (table["closer to training than test is (pixels)"] ?? [0, 0, 0])[2], copied[1], copied[0]))
        }
    }

    /// Records the classifier's accuracy on the test set, measured 1,000 images a step so that
    /// Ctrl-C never waits for the whole set (the same numbers as `DigitClassifier.accuracy`).
    func testAccuracy(_ classifier: DigitClassifier, _ test: MNIST, note: String?, context: LabContext) throws {
        let chunk = 1000, predicted = Tracked([Float]())
        try context.train("digit classifier test accuracy", steps: (test.count + chunk - 1) / chunk, tracking: ["predicted": predicted]) { step in
            let start = step.index * chunk, end = min(test.count, start + chunk)
            predicted.value += classifier.describe(test.images.slice(axis: 0, start: start, end: end)).probabilities.argmax(axis: 1).scalars
            if step.isLast {
                let accuracy = Double(noGrad { Tensor(predicted.value, shape: [test.count]).eq(test.labels).mean().item })
                step.metric("digit classifier test accuracy", accuracy * 100, unit: "%", note: note)
            }
            return [:]
        }
    }

    /// `count` training images, each shifted by 1 or 2 pixels in a random direction (zero fill).
    static func memorizer(_ pool: Tensor, count: Int, seed: UInt64) -> (images: Tensor, sources: [Int]) {
        let random = RandomGenerator(seed: seed)
        let layout = ImageLayout(height: 28, width: 28)
        var values: [Float] = [], sources: [Int] = []
        let all = pool.scalars
        for _ in 0..<count {
            let source = Int(random.next() % UInt64(pool.shape[0]))
            var dx = 0, dy = 0
            while dx == 0 && dy == 0 { dx = Int(random.next() % 5) - 2; dy = Int(random.next() % 5) - 2 }
            values += layout.shifted(Array(all[(source * 784)..<((source + 1) * 784)]), dx: dx, dy: dy)
            sources.append(source)
        }
        return (Tensor(values, shape: [count, 1, 28, 28]), sources)
    }
}
