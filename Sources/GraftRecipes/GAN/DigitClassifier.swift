import Foundation
import Graft
import GraftMetrics
import GraftNN

/// The digit classifier the generator metrics use as their feature extractor and source of
/// class probabilities (the role Inception plays for natural images, Salimans et al. 2016):
/// two 3x3 convolutions with max pooling, then a 128-unit layer whose activations are the
/// features, then 10 logits. Trained with Adam for 4 epochs (the last at a tenth of the rate)
/// it passes 99% on MNIST's test set.
public final class DigitClassifier: Module, UnaryLayer {
    /// Convolutions and pooling: [N, 1, 28, 28] -> [N, 64, 5, 5].
    public var convolutions: Sequential
    /// The feature layer: 1600 -> 128.
    public var hidden: Linear
    /// The class layer: 128 -> 10.
    public var classes: Linear

    /// A freshly initialised classifier.
    public init(generator: RandomGenerator = .global) {
        convolutions = Sequential(Conv2d(1, 32, kernelSize: (3, 3), generator: generator), ReLU(), MaxPool2d(2),
                                  Conv2d(32, 64, kernelSize: (3, 3), generator: generator), ReLU(), MaxPool2d(2))
        hidden = Linear(64 * 5 * 5, 128, generator: generator)
        classes = Linear(128, 10, generator: generator)
        super.init()
    }

    /// The 128 features of images [N, 1, 28, 28].
    public func features(_ images: Tensor) -> Tensor {
        let h = convolutions(images)
        return hidden(h.reshape([h.shape[0], -1])).relu()
    }

    /// The logits [N, 10].
    public func callAsFunction(_ images: Tensor) -> Tensor { classes(features(images)) }

    /// Features and class probabilities of `images` in batches of `batch`, without gradients.
    public func describe(_ images: Tensor, batch: Int = 500) -> (features: Tensor, probabilities: Tensor) {
        eval()
        defer { train() }
        return noGrad {
            var features: [Tensor] = [], probabilities: [Tensor] = []
            var start = 0
            while start < images.shape[0] {
                let end = Swift.min(start + batch, images.shape[0])
                let f = self.features(images.slice(axis: 0, start: start, end: end))
                features.append(f)
                probabilities.append(classes(f).softmax(axis: 1))
                start = end
            }
            return (Tensor.concat(features, axis: 0), Tensor.concat(probabilities, axis: 0))
        }
    }

    /// Test accuracy on `images` and `labels` (whole numbers 0...9), in [0, 1]
    /// (`Statistics.accuracy` of the predicted probabilities; 0 when the counts differ).
    public func accuracy(_ images: Tensor, _ labels: Tensor) -> Double {
        (try? Statistics.accuracy(logits: describe(images).probabilities, labels: labels)) ?? 0
    }

    /// Trains for `epochs` over `images` [N, 1, 28, 28] with Adam (learning rate 0.001, a tenth
    /// of it in the last epoch when there are several) in shuffled batches of `batch`;
    /// `progress` gets (step, total, loss).
    public func fit(_ images: Tensor, _ labels: Tensor, epochs: Int, batch: Int = 128, seed: UInt64,
                    progress: (Int, Int, Float) -> Void = { _, _, _ in }) throws {
        let training = DigitClassifierTraining(self, images: images, labels: labels, epochs: epochs, batch: batch, seed: seed)
        train()
        for step in 1...Swift.max(1, training.totalSteps) where training.totalSteps > 0 {
            let loss = training.step()
            guard loss.isFinite else { throw GANTrainingError("the digit classifier's loss became \(loss) at step \(step)") }
            progress(step, training.totalSteps, loss)
        }
        eval()
    }
}

/// Training of a GAN recipe failed (a NaN loss), with where.
public struct GANTrainingError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
