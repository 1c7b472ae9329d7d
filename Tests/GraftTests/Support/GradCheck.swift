import Testing
@testable import Graft

/// Central finite differences against the autodiff gradient.
///
/// The function's output is reduced to a scalar with fixed random weights (so every output
/// element's gradient path is exercised with a different coefficient). Each input element is
/// perturbed by ±eps and the scalar recomputed in Double. A gradient that is wrong by a sign,
/// a factor or a missing term differs by far more than the tolerance.
func checkGradients(_ inputs: [Tensor], eps: Float = 1e-2, atol: Double = 2e-3, rtol: Double = 2e-2,
                    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    for x in inputs { x.requiresGrad = true }
    let probe = f(inputs)
    let weights = Tensor.uniform(probe.shape, low: 0.5, high: 1.5, generator: RandomGenerator(seed: 99))
    func scalar() -> Double {
        // Recorded like a normal call: f may itself take gradients (a gradient penalty).
        let out = f(inputs)
        var s = 0.0
        for i in 0..<out.count { s += Double(out.storage.pointer[i]) * Double(weights.storage.pointer[i]) }
        return s
    }
    let loss = (f(inputs) * weights).sum()
    let analytic = grad(of: [loss], wrt: inputs)
    for (k, x) in inputs.enumerated() {
        let p = x.storage.pointer
        var worst = 0.0
        var worstMessage = ""
        for i in 0..<x.count {
            let saved = p[i]
            p[i] = saved + eps
            let up = scalar()
            p[i] = saved - eps
            let down = scalar()
            p[i] = saved
            let numeric = (up - down) / Double(2 * eps)
            let a = Double(analytic[k].storage.pointer[i])
            let err = abs(a - numeric) - (atol + rtol * abs(numeric))
            if err > worst {
                worst = err
                worstMessage = "input \(k) element \(i): autodiff \(a), finite difference \(numeric)"
            }
        }
        #expect(worst == 0, "gradient mismatch: \(worstMessage)", sourceLocation: sourceLocation)
    }
}

/// A tensor of uniform values in [low, high) from a fixed seed.
func sample(_ shape: [Int], low: Float = -1, high: Float = 1, seed: UInt64 = 1) -> Tensor {
    Tensor.uniform(shape, low: low, high: high, generator: RandomGenerator(seed: seed))
}

/// Asserts two arrays agree elementwise within a tolerance.
func expectClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "lengths \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
    var worst: Float = 0, at = -1
    for i in 0..<min(a.count, b.count) {
        let d = abs(a[i] - b[i]) / max(1, abs(b[i]))
        if !(d <= worst) || (a[i].isNaN != b[i].isNaN) { worst = d.isNaN ? .infinity : d; at = i }
    }
    #expect(worst <= tol, "largest difference \(worst) at \(at): \(at >= 0 ? a[at] : 0) vs \(at >= 0 ? b[at] : 0)", sourceLocation: sourceLocation)
}
