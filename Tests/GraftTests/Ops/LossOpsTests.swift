import Foundation
import Testing
@testable import Graft

@Suite struct LossOpsTests {
    let logits = Tensor([2, 1, 0.1, 0.5, 2.5, 0.3], shape: [2, 3])
    let targets = Tensor(indices: [0, 1])

    /// -log softmax(row)[t], by hand.
    func manualCE(_ row: [Float], _ t: Int) -> Float {
        let lse = Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +))
        return lse - row[t]
    }

    @Test func crossEntropyValues() {
        let expected = (manualCE([2, 1, 0.1], 0) + manualCE([0.5, 2.5, 0.3], 1)) / 2
        #expect(abs(Tensor.crossEntropy(logits: logits, targets: targets).item - expected) < 1e-6)
        let none = Tensor.crossEntropy(logits: logits, targets: targets, reduction: .none)
        #expect(none.shape == [2])
        #expect(abs(Tensor.crossEntropy(logits: logits, targets: targets, reduction: .sum).item - 2 * expected) < 1e-5)
        // Label smoothing: (1-ε) CE + ε * mean over classes of -log p.
        let eps: Float = 0.1
        let logp = logits.logSoftmax(axis: 1)
        let smooth = ((1 - eps) * Tensor.nllLoss(logProbs: logp, targets: targets, reduction: .none) - eps * logp.mean(axis: 1)).mean()
        #expect(abs(Tensor.crossEntropy(logits: logits, targets: targets, labelSmoothing: eps).item - smooth.item) < 1e-6)
        // Ignored rows count for nothing.
        let ignored = Tensor.crossEntropy(logits: logits, targets: Tensor(indices: [0, 7]), ignoreIndex: 7)
        #expect(abs(ignored.item - manualCE([2, 1, 0.1], 0)) < 1e-6)
        // Classes-last with extra leading axes (sequence models).
        let seq = Tensor.crossEntropy(logits: logits.reshape([1, 2, 3]), targets: targets.reshape([1, 2]))
        #expect(abs(seq.item - expected) < 1e-6)
        // NLL agrees with cross-entropy on log-probabilities.
        #expect(abs(Tensor.nllLoss(logProbs: logp, targets: targets).item - expected) < 1e-6)
        // Soft targets equal to one-hot reproduce the index form.
        let soft = Tensor.crossEntropy(logits: logits, targetProbabilities: Tensor.oneHot(targets, classes: 3))
        #expect(abs(soft.item - expected) < 1e-6)
        // Large logits keep full precision (log p = (x - max) - log Σ e^(x - max)), in the loss
        // and in its gradient.
        let big = Tensor([1000, 1000], shape: [1, 2]).requiringGrad()
        let loss = Tensor.crossEntropy(logits: big, targets: Tensor(indices: [0]), labelSmoothing: 0.1)
        #expect(abs(loss.item - Float(Foundation.log(2.0))) < 1e-6)
        loss.backward()
        // p - target with target (1-ε) one-hot + ε/C: [0.5 - 0.95, 0.5 - 0.05].
        #expect(abs(big.grad![0, 0] + 0.45) < 1e-6 && abs(big.grad![0, 1] - 0.45) < 1e-6)
    }

    @Test func binaryCrossEntropyWithLogits() {
        let x = Tensor([-100, -1, 0, 2, 100]), z = Tensor([0, 1, 0.5, 0, 1])
        let loss = Tensor.binaryCrossEntropyWithLogits(logits: x, targets: z, reduction: .none).scalars
        let ref: [Float] = zip(x.scalars, z.scalars).map { v, t in
            let p = 1 / (1 + Foundation.exp(-Double(v)))
            let l = -(Double(t) * Foundation.log(max(p, 1e-300)) + Double(1 - t) * Foundation.log(max(1 - p, 1e-300)))
            return Float(l)
        }
        expectClose(Array(loss[1...3]), Array(ref[1...3]), tol: 1e-6)
        #expect(loss[0] < 1e-30 && loss[4] < 1e-30)
        #expect(loss.allSatisfy { $0.isFinite })
    }

    @Test func gradients() {
        let x = sample([4, 5], low: -2, high: 2)
        let t = Tensor(indices: [4, 0, 2, 2])
        checkGradients([x]) { Tensor.crossEntropy(logits: $0[0], targets: t) }
        checkGradients([x]) { Tensor.crossEntropy(logits: $0[0], targets: t, labelSmoothing: 0.2, reduction: .sum) }
        checkGradients([x]) { Tensor.crossEntropy(logits: $0[0], targets: Tensor(indices: [4, 9, 2, 9]), ignoreIndex: 9, reduction: .none) }
        checkGradients([x]) { Tensor.nllLoss(logProbs: $0[0].logSoftmax(), targets: t) }
        let p = sample([4, 5], low: 0, high: 1, seed: 3)
        checkGradients([x]) { Tensor.crossEntropy(logits: $0[0], targetProbabilities: p / p.sum(axis: 1, keepDims: true)) }
        checkGradients([x, sample([4, 5], low: 0, high: 1, seed: 4)]) { Tensor.binaryCrossEntropyWithLogits(logits: $0[0], targets: $0[1]) }
    }

    @Test func dropout() {
        let x = Tensor.ones([10_000])
        let y = x.dropout(p: 0.3, generator: RandomGenerator(seed: 1))
        let kept = y.scalars.filter { $0 != 0 }
        #expect(abs(Float(kept.count) / 10_000 - 0.7) < 0.02)
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        #expect(x.dropout(p: 0.3, training: false) === x)
        let a = x.dropout(p: 0.5, generator: RandomGenerator(seed: 2)).scalars
        #expect(a == x.dropout(p: 0.5, generator: RandomGenerator(seed: 2)).scalars)
        let w = sample([50]).requiringGrad()
        let mask = w.dropout(p: 0.5, generator: RandomGenerator(seed: 3))
        mask.sum().backward()
        #expect(w.grad!.scalars.allSatisfy { $0 == 0 || $0 == 2 })
    }
}
