/// How a per-element loss is combined.
public enum Reduction: String, Sendable, CaseIterable {
    /// The mean over elements (over non-ignored ones for cross-entropy).
    case mean
    /// The sum over elements.
    case sum
    /// No reduction: one loss per element.
    case none
}

/// Fused, numerically stable losses: cross-entropy from logits and class indices (with
/// label smoothing), negative log-likelihood, binary cross-entropy with logits.
extension Tensor {
    /// Cross-entropy of `logits` [..., C] (classes last) against whole-number `targets` [...]:
    /// -(1-ε) log p[target] - ε/C Σ_c log p[c], with ε = `labelSmoothing`. Rows whose target
    /// equals `ignoreIndex` contribute nothing (and are left out of the mean).
    public static func crossEntropy(logits: Tensor, targets: Tensor, labelSmoothing: Float = 0,
                                    ignoreIndex: Int? = nil, reduction: Reduction = .mean) -> Tensor {
        guard logits.rank >= 1, Array(logits.shape.dropLast()) == targets.shape else {
            graftFatal(ShapeError(op: "crossEntropy",
                                  "logits of shape \(shapeString(logits.shape)) need targets of shape "
                                  + "\(shapeString(Array(logits.shape.dropLast()))) (classes last), got \(shapeString(targets.shape))"))
        }
        if !(0..<1).contains(labelSmoothing) {
            graftFatal(ShapeError(op: "crossEntropy", "labelSmoothing must be in [0, 1), got \(labelSmoothing)"))
        }
        let c = logits.shape[logits.rank - 1]
        let rows = targets.count
        // Target indices, -1 for ignored rows.
        var idx = [Int](repeating: -1, count: rows)
        targets.withUnsafeBufferPointer { tp in
            for r in 0..<rows {
                let v = tp[r]
                if let ig = ignoreIndex, v == Float(ig) { continue }
                guard let iv = Int(exactly: v), iv >= 0, iv < c else {
                    graftFatal(ShapeError(op: "crossEntropy", "target \(v) at position \(r) is not a class index in 0..<\(c)"))
                }
                idx[r] = iv
            }
        }
        let valid = idx.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        // Only each row's shift m and log Σ e^(x - m) are kept: log p = (x - m) - logSum,
        // recomputed in backward.
        let eps = labelSmoothing
        let (perRow, saved) = logits.backend.crossEntropyForward(logits, targets: idx, smoothing: eps, shape: targets.shape)
        let result: Tensor
        switch reduction {
        case .none: result = perRow
        case .sum: result = Tensor(perRow.backend.sumAll(perRow))
        case .mean: result = Tensor(valid > 0 ? perRow.backend.sumAll(perRow) / Float(valid) : .nan)
        }
        return record(result, op: "crossEntropy", inputs: [logits]) { ctx in
            // Per-row upstream gradient.
            var rowGrad = [Float](repeating: 0, count: rows)
            let g = ctx.grad
            g.withUnsafeBufferPointer { gp in
                for r in 0..<rows where idx[r] >= 0 {
                    switch reduction {
                    case .none: rowGrad[r] = gp[r]
                    case .sum: rowGrad[r] = gp[0]
                    case .mean: rowGrad[r] = gp[0] / Float(valid)
                    }
                }
            }
            let inShape = ctx.inputs[0].shape
            if ctx.createGraph {
                var values = [Float](repeating: 0, count: rows * c)
                for r in 0..<rows where idx[r] >= 0 {
                    if eps > 0 { for j in 0..<c { values[r * c + j] = eps / Float(c) } }
                    values[r * c + idx[r]] += 1 - eps
                }
                let target = Tensor(values, shape: [rows, c])
                let p = ctx.inputs[0].reshape([rows, c]).softmax(axis: -1)
                let mask = Tensor(idx.map { $0 >= 0 ? 1 : 0 }, shape: [rows, 1])
                let scale: Tensor
                switch reduction {
                case .none: scale = g.reshape([rows, 1]) * mask
                case .sum: scale = g.reshape([1, 1]) * mask
                case .mean: scale = g.reshape([1, 1]) * mask * (1 / Float(Swift.max(valid, 1)))
                }
                return [((p - target) * scale).reshape(inShape)]
            }
            let x = ctx.inputs[0]
            let grad = x.backend.crossEntropyBackward(x, saved, targets: idx, rowGrad: rowGrad, smoothing: eps)
            return [grad]
        }
    }

    /// Negative log-likelihood of log-probabilities [..., C] at whole-number `targets` [...].
    public static func nllLoss(logProbs: Tensor, targets: Tensor, ignoreIndex: Int? = nil, reduction: Reduction = .mean) -> Tensor {
        guard logProbs.rank >= 1, Array(logProbs.shape.dropLast()) == targets.shape else {
            graftFatal(ShapeError(op: "nllLoss",
                                  "log-probabilities of shape \(shapeString(logProbs.shape)) need targets of shape "
                                  + "\(shapeString(Array(logProbs.shape.dropLast()))), got \(shapeString(targets.shape))"))
        }
        var mask: Tensor? = nil
        var safeTargets = targets
        if let ig = ignoreIndex {
            let m = targets.ne(Float(ig))
            mask = m
            safeTargets = targets * m
        }
        var picked = -logProbs.gather(axis: -1, index: safeTargets.unsqueeze(axis: -1)).squeeze(axis: -1)
        if let mask { picked = picked * mask }
        switch reduction {
        case .none: return picked
        case .sum: return picked.sum()
        case .mean:
            let n = mask.map { $0.sum().item } ?? Float(targets.count)
            return picked.sum() / n
        }
    }

    /// Cross-entropy against target probabilities [..., C]: -Σ_c p_c log softmax(logits)_c.
    public static func crossEntropy(logits: Tensor, targetProbabilities p: Tensor, reduction: Reduction = .mean) -> Tensor {
        if logits.shape != p.shape {
            graftFatal(ShapeError(op: "crossEntropy",
                                  "logits of shape \(shapeString(logits.shape)) and target probabilities of shape \(shapeString(p.shape)) differ"))
        }
        let perRow = -(p * logits.logSoftmax(axis: -1)).sum(axis: -1)
        switch reduction {
        case .none: return perRow
        case .sum: return perRow.sum()
        case .mean: return perRow.mean()
        }
    }

    /// Binary cross-entropy of `logits` against targets z in [0, 1] (same shape), computed as
    /// max(x, 0) - x z + log(1 + e^-|x|), which never overflows.
    public static func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, reduction: Reduction = .mean) -> Tensor {
        if logits.shape != targets.shape {
            graftFatal(ShapeError(op: "binaryCrossEntropyWithLogits",
                                  "logits of shape \(shapeString(logits.shape)) and targets of shape \(shapeString(targets.shape)) differ"))
        }
        let perElement = logits.backend.binaryCrossEntropyWithLogits(logits, targets)
        let n = Float(logits.count)
        let result: Tensor
        switch reduction {
        case .none: result = perElement
        case .sum: result = Tensor(perElement.backend.sumAll(perElement))
        case .mean: result = Tensor(perElement.backend.sumAll(perElement) / n)
        }
        return record(result, op: "binaryCrossEntropyWithLogits", inputs: [logits, targets]) { ctx in
            let (x, z) = (ctx.inputs[0], ctx.inputs[1])
            let g: Tensor
            switch reduction {
            case .none: g = ctx.grad
            case .sum: g = ctx.grad
            case .mean: g = ctx.grad * (1 / n)
            }
            return [ctx.needsGrad[0] ? (x.sigmoid() - z) * g : nil,
                    ctx.needsGrad[1] ? -x * g : nil]
        }
    }
}
