/// The elementwise parameter updates of the optimizers (`Tensor.adamUpdate` and friends), on raw
/// pointers: each element's update is independent, so a split across threads changes nothing.
enum OptimizerKernels {
    /// Adam's moments and step over `n` elements; `shrink` scales p first (decoupled decay) and
    /// `l2` adds l2·p to the gradient. Eight lanes at a time, split across threads above 32K elements.
    static func adam(_ n: Int, _ pp: UnsafeMutablePointer<Float>, _ gp: UnsafePointer<Float>,
                     _ mp: UnsafeMutablePointer<Float>, _ vp: UnsafeMutablePointer<Float>,
                     b1: Float, b2: Float, eps: Float, stepSize: Float, c2Root: Float, shrink: Float, l2: Float) {
        ThreadPool.shared.parallelChunks(total: n, minChunk: 1 << 15) { r in
            var i = r.lowerBound
            let vb1 = SIMD8<Float>(repeating: b1), vb2 = SIMD8<Float>(repeating: b2)
            let vs = SIMD8<Float>(repeating: stepSize), vc = SIMD8<Float>(repeating: 1 / c2Root)
            let veps = SIMD8<Float>(repeating: eps), vshrink = SIMD8<Float>(repeating: shrink)
            let vl2 = SIMD8<Float>(repeating: l2)
            while i + 8 <= r.upperBound {
                var w = UnsafeRawPointer(pp + i).loadUnaligned(as: SIMD8<Float>.self)
                let g = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self) + vl2 * w
                w *= vshrink
                let m = vb1 * UnsafeRawPointer(mp + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - vb1) * g
                let v = vb2 * UnsafeRawPointer(vp + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - vb2) * g * g
                w -= vs * m / (v.squareRoot() * vc + veps)
                UnsafeMutableRawPointer(mp + i).storeBytes(of: m, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(vp + i).storeBytes(of: v, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(pp + i).storeBytes(of: w, as: SIMD8<Float>.self)
                i += 8
            }
            while i < r.upperBound {
                let g = gp[i] + l2 * pp[i]
                pp[i] *= shrink
                mp[i] = b1 * mp[i] + (1 - b1) * g
                vp[i] = b2 * vp[i] + (1 - b2) * g * g
                pp[i] -= stepSize * mp[i] / (vp[i].squareRoot() / c2Root + eps)
                i += 1
            }
        }
    }

    /// SGD with optional momentum buffer `vp` (set to d on the `first` step), Nesterov and L2 decay.
    static func sgd(_ n: Int, _ pp: UnsafeMutablePointer<Float>, _ gp: UnsafePointer<Float>, _ vp: UnsafeMutablePointer<Float>?,
                    lr: Float, wd: Float, mu: Float, nesterov: Bool, first: Bool) {
        for i in 0..<n {
            var d = gp[i] + wd * pp[i]
            if let vp {
                vp[i] = first ? d : mu * vp[i] + d
                d = nesterov ? d + mu * vp[i] : vp[i]
            }
            pp[i] -= lr * d
        }
    }

    /// RMSprop: square average `sp`, optional momentum buffer `bp`.
    static func rmsprop(_ n: Int, _ pp: UnsafeMutablePointer<Float>, _ gp: UnsafePointer<Float>, _ sp: UnsafeMutablePointer<Float>,
                        _ bp: UnsafeMutablePointer<Float>?, lr: Float, alpha a: Float, eps: Float, mu: Float, wd: Float) {
        for i in 0..<n {
            let g = gp[i] + wd * pp[i]
            sp[i] = a * sp[i] + (1 - a) * g * g
            let d = g / (sp[i].squareRoot() + eps)
            if let bp { bp[i] = mu * bp[i] + d; pp[i] -= lr * bp[i] } else { pp[i] -= lr * d }
        }
    }

    /// Adagrad: running sum of squares `sp`.
    static func adagrad(_ n: Int, _ pp: UnsafeMutablePointer<Float>, _ gp: UnsafePointer<Float>, _ sp: UnsafeMutablePointer<Float>,
                        lr: Float, eps: Float, wd: Float) {
        for i in 0..<n {
            let g = gp[i] + wd * pp[i]
            sp[i] += g * g
            pp[i] -= lr * g / (sp[i].squareRoot() + eps)
        }
    }
}
