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
