import Graft
import GraftMetrics
import GraftNN

/// The three parts of domain-adversarial training (Ganin et al. 2016, "Domain-Adversarial
/// Training of Neural Networks", JMLR 17, figure 1): a feature extractor G_f, a label predictor
/// G_y on the features, and a domain classifier G_d on the features seen through a gradient
/// reversal layer. State keys are `features.…`, `labelPredictor.…` and `domainClassifier.…`.
public final class DANNModel: Module {
    /// G_f: inputs to features.
    public let features: any UnaryLayer
    /// G_y: features to class logits.
    public let labelPredictor: any UnaryLayer
    /// G_d: features to domain logits [N, 2] (0 = source, 1 = target).
    public let domainClassifier: any UnaryLayer
    /// The reversal layer between G_f and G_d; the trainer sets its λ each step.
    public let reversal: GradientReversal

    /// A model from its parts.
    public init(features: any UnaryLayer, labelPredictor: any UnaryLayer, domainClassifier: any UnaryLayer) {
        self.features = features
        self.labelPredictor = labelPredictor
        self.domainClassifier = domainClassifier
        self.reversal = GradientReversal()
        super.init()
    }

    /// The paper's MNIST → MNIST-M architecture (section 5.2.2 and figure 4): G_f is
    /// conv 5x5x32 - ReLU - max-pool 2 - conv 5x5x48 - ReLU - max-pool 2 on [N, `channels`, 28, 28]
    /// (768 features), G_y is 100 - ReLU - 100 - ReLU - 10, G_d is 100 - ReLU - 2. The weights
    /// are drawn with He et al.'s (2015) uniform initialisation for ReLU layers (biases as
    /// PyTorch's): plain SGD leaves the PyTorch default's initial plateau far sooner.
    public static func mnist(channels: Int = 3, generator: RandomGenerator) -> DANNModel {
        let c1 = Conv2d(channels, 32, kernelSize: 5, generator: generator), c2 = Conv2d(32, 48, kernelSize: 5, generator: generator)
        let l1 = Linear(768, 100, generator: generator), l2 = Linear(100, 100, generator: generator), l3 = Linear(100, 10, generator: generator)
        let d1 = Linear(768, 100, generator: generator), d2 = Linear(100, 2, generator: generator)
        for conv in [c1, c2] { conv.weight = Init.kaimingUniform(conv.weight.shape, generator: generator) }
        for linear in [l1, l2, l3, d1, d2] { linear.weight = Init.kaimingUniform(linear.weight.shape, generator: generator) }
        let features = Sequential(c1, ReLU(), MaxPool2d(2), c2, ReLU(), MaxPool2d(2), Flatten())
        let label = Sequential(l1, ReLU(), l2, ReLU(), l3)
        let domain = Sequential(d1, ReLU(), d2)
        return DANNModel(features: features, labelPredictor: label, domainClassifier: domain)
    }

    /// Class logits of inputs `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor { labelPredictor(features(x)) }

    /// Domain logits of features `f`, through the reversal layer.
    public func domainLogits(features f: Tensor) -> Tensor { domainClassifier(reversal(f)) }

    /// The features of `inputs` in batches of `batch`, without gradients, in evaluation mode.
    public func extractFeatures(_ inputs: Tensor, batch: Int = 500) -> Tensor {
        mapBatches(inputs, batch: batch) { features($0) }
    }

    /// The predicted classes [N] of `inputs` (whole numbers), in batches of `batch`.
    public func predict(_ inputs: Tensor, batch: Int = 500) -> Tensor {
        mapBatches(inputs, batch: batch) { self($0).argmax(axis: 1) }
    }

    /// The fraction of `inputs` whose predicted class equals `labels` [N], in [0, 1]
    /// (`Statistics.accuracy`; 0 when the counts differ).
    public func accuracy(_ inputs: Tensor, labels: Tensor, batch: Int = 500) -> Double {
        let predicted = predict(inputs, batch: batch).scalars.map { Int($0) }
        return (try? Statistics.accuracy(predicted: predicted, labels: labels.scalars.map { Int($0) })) ?? 0
    }

    /// `body` applied to consecutive slices of `batch` rows of `inputs`, concatenated.
    func mapBatches(_ inputs: Tensor, batch: Int, _ body: (Tensor) -> Tensor) -> Tensor {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return noGrad {
            var parts: [Tensor] = []
            var start = 0
            let n = inputs.shape[0]
            while start < n {
                let end = Swift.min(start + Swift.max(batch, 1), n)
                parts.append(body(inputs.slice(axis: 0, start: start, end: end)))
                start = end
            }
            return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
        }
    }

    /// The parts, named `features`, `labelPredictor`, `domainClassifier` (the reversal has no state).
    public override var customChildren: [(name: String, module: Module)]? {
        [("features", features as Module), ("labelPredictor", labelPredictor as Module), ("domainClassifier", domainClassifier as Module)]
    }
}
