import Foundation

/// Entropy-regularised optimal transport between two uniform point clouds (Cuturi 2013), solved
/// in the log domain so that small regularisation does not underflow: with cost C [n, m] and
/// epsilon, the dual potentials iterate
/// f_i = eps log(1/n) - eps logsumexp_j((g_j - C_ij) / eps) and
/// g_j = eps log(1/m) - eps logsumexp_i((f_i - C_ij) / eps), and the plan is P_ij = exp((f_i + g_j - C_ij) / eps). Computed in Float64.
/// When the cost range is at most 50 epsilons nothing can under- or overflow in the kernel
/// domain, and the same iteration runs there (`solveInKernelDomain`) at a fraction of the cost.
public enum Sinkhorn {
    /// A solved transport problem.
    public struct Solution: Sendable {
        /// The plan, row-major [n, m]; rows sum to 1/n and columns to 1/m.
        public let plan: [Double]
        /// sum_ij P_ij C_ij.
        public let cost: Double
        /// Iterations run.
        public let iterations: Int
        /// The largest deviation of a row sum from 1/n when it stopped.
        public let marginalError: Double
    }

    /// Solves for cost `cost` ([n, m] row-major) with regularisation `epsilon` (in the cost's
    /// units), stopping when the row marginals are within `tolerance` of 1/n (relative) or after
    /// `maxIterations` at the final epsilon. Epsilon scaling (Schmitzer 2019) starts from the
    /// cost's range and halves it stage by stage, carrying the potentials, so that a small
    /// epsilon converges in hundreds of iterations instead of many thousands.
    public static func solve(cost: [Double], rows n: Int, columns m: Int, epsilon: Double,
                             maxIterations: Int = 500, tolerance: Double = 1e-6) -> Solution {
        precondition(n > 0 && m > 0 && cost.count == n * m, "Sinkhorn: cost has \(cost.count) entries, expected \(n) x \(m)")
        precondition(epsilon > 0, "Sinkhorn: epsilon must be positive, got \(epsilon)")
        precondition(cost.allSatisfy { $0.isFinite }, "Sinkhorn: the cost matrix has a NaN or infinite entry")
        if (cost.max()! - cost.min()!) / epsilon <= kernelDomainLimit,
           let solution = solveInKernelDomain(cost: cost, rows: n, columns: m, epsilon: epsilon, maxIterations: maxIterations, tolerance: tolerance) {
            return solution
        }
        return solveInLogDomain(cost: cost, rows: n, columns: m, epsilon: epsilon, maxIterations: maxIterations, tolerance: tolerance)
    }

    /// The log-domain iteration with epsilon scaling, stable for any epsilon.
    static func solveInLogDomain(cost: [Double], rows n: Int, columns m: Int, epsilon: Double,
                                 maxIterations: Int, tolerance: Double) -> Solution {
        var state = Potentials(n: n, m: m)
        var scale = (cost.max()! - cost.min()!)
        var iterations = 0
        while scale / 2 > epsilon {
            iterations += state.iterate(cost, epsilon: scale, maxIterations: 50, tolerance: 1e-3)
            scale /= 2
        }
        let finalIterations = state.iterate(cost, epsilon: epsilon, maxIterations: maxIterations, tolerance: tolerance)
        var plan = [Double](repeating: 0, count: n * m)
        var total = 0.0
        for i in 0..<n {
            for j in 0..<m {
                let p = Foundation.exp((state.f[i] + state.g[j] - cost[i * m + j]) / epsilon)
                plan[i * m + j] = p
                total += p * cost[i * m + j]
            }
        }
        return Solution(plan: plan, cost: total, iterations: iterations + finalIterations, marginalError: state.error)
    }

    /// The largest cost range / epsilon solved in the kernel domain: there exp(-C/eps) stays above
    /// e^-50 and the scalings u = exp(f/eps), v = exp(g/eps) below e^50, so nothing under- or
    /// overflows in Float64 (OT-GAN's cosine costs at eps = 0.05: range / eps ≤ 40).
    static let kernelDomainLimit = 50.0

    /// The same iteration as the log domain, epsilon scaling included, written with the kernel
    /// K = exp(-(C - min C) / eps) and the scalings u = exp(f/eps), v = exp(g/eps): u = a / (K v),
    /// v = b / (Kᵀ u) are the log-domain updates exponentiated, so the iterates and the stopping
    /// point agree with `solveInLogDomain` up to rounding, at multiply-adds instead of three exps
    /// per entry per iteration. (Subtracting min C shifts the potentials, not the plan.) Nil when
    /// a value is not finite, so that the caller falls back to the log domain.
    static func solveInKernelDomain(cost: [Double], rows n: Int, columns m: Int, epsilon: Double,
                                    maxIterations: Int, tolerance: Double) -> Solution? {
        let low = cost.min()!
        let shifted = cost.map { $0 - low }
        var f = [Double](repeating: 0, count: n), g = [Double](repeating: 0, count: m)
        var kernel = [Double](repeating: 0, count: n * m), transposed = [Double](repeating: 0, count: n * m)
        var u = [Double](repeating: 1, count: n), v = [Double](repeating: 1, count: m)
        let a = 1 / Double(n), b = 1 / Double(m)
        var error = Double.infinity, total = 0
        /// Iterates at `eps` from the potentials f, g and leaves the new ones there.
        func stage(_ eps: Double, maxIterations: Int, tolerance: Double) -> Bool {
            for i in 0..<n { for j in 0..<m { let k = Foundation.exp(-shifted[i * m + j] / eps); kernel[i * m + j] = k; transposed[j * n + i] = k } }
            for i in 0..<n { u[i] = Foundation.exp(f[i] / eps) }
            for j in 0..<m { v[j] = Foundation.exp(g[j] / eps) }
            var iterations = 0
            do {
                let k = kernel, kt = transposed
                while iterations < maxIterations {
                    iterations += 1
                    for i in 0..<n { var s = 0.0; for j in 0..<m { s += k[i * m + j] * v[j] }; u[i] = a / s }
                    for j in 0..<m { var s = 0.0; for i in 0..<n { s += kt[j * n + i] * u[i] }; v[j] = b / s }
                    // After the v update the columns are exact; measure the rows.
                    error = 0
                    for i in 0..<n {
                        var s = 0.0
                        for j in 0..<m { s += k[i * m + j] * v[j] }
                        error = Swift.max(error, Swift.abs(u[i] * s * Double(n) - 1))
                    }
                    if error < tolerance || !error.isFinite { break }
                }
            }
            total += iterations
            for i in 0..<n { f[i] = eps * Foundation.log(u[i]) }
            for j in 0..<m { g[j] = eps * Foundation.log(v[j]) }
            return error.isFinite && f.allSatisfy(\.isFinite) && g.allSatisfy(\.isFinite)
        }
        var scale = shifted.max()!
        while scale / 2 > epsilon {
            guard stage(scale, maxIterations: 50, tolerance: 1e-3) else { return nil }
            scale /= 2
        }
        guard stage(epsilon, maxIterations: maxIterations, tolerance: tolerance) else { return nil }
        var plan = [Double](repeating: 0, count: n * m), cost = 0.0
        for i in 0..<n {
            for j in 0..<m {
                let p = u[i] * kernel[i * m + j] * v[j]
                plan[i * m + j] = p
                cost += p * (shifted[i * m + j] + low)
            }
        }
        guard cost.isFinite else { return nil }
        return Solution(plan: plan, cost: cost, iterations: total, marginalError: error)
    }

    /// The dual potentials and their log-domain updates.
    private struct Potentials {
        var f: [Double], g: [Double]
        var error = Double.infinity
        private var column: [Double]
        let n: Int, m: Int

        init(n: Int, m: Int) {
            self.n = n; self.m = m
            f = [Double](repeating: 0, count: n)
            g = [Double](repeating: 0, count: m)
            column = [Double](repeating: 0, count: n)
        }

        /// Alternating updates at `epsilon` until the row marginals are within `tolerance`;
        /// returns the iterations run.
        mutating func iterate(_ cost: [Double], epsilon: Double, maxIterations: Int, tolerance: Double) -> Int {
            let logA = -Foundation.log(Double(n)), logB = -Foundation.log(Double(m))
            var iterations = 0
            while iterations < maxIterations {
                iterations += 1
                // f_i = eps log a_i - eps logsumexp_j((g_j - C_ij) / eps)
                for i in 0..<n {
                    var top = -Double.infinity
                    for j in 0..<m { top = Swift.max(top, (g[j] - cost[i * m + j]) / epsilon) }
                    var sum = 0.0
                    for j in 0..<m { sum += Foundation.exp((g[j] - cost[i * m + j]) / epsilon - top) }
                    f[i] = epsilon * (logA - top - Foundation.log(sum))
                }
                for j in 0..<m {
                    var top = -Double.infinity
                    for i in 0..<n { column[i] = (f[i] - cost[i * m + j]) / epsilon; top = Swift.max(top, column[i]) }
                    var sum = 0.0
                    for i in 0..<n { sum += Foundation.exp(column[i] - top) }
                    g[j] = epsilon * (logB - top - Foundation.log(sum))
                }
                // After the g update the columns are exact; measure the rows.
                error = 0
                for i in 0..<n {
                    var row = 0.0
                    for j in 0..<m { row += Foundation.exp((f[i] + g[j] - cost[i * m + j]) / epsilon) }
                    error = Swift.max(error, Swift.abs(row * Double(n) - 1))
                }
                if error < tolerance { break }
            }
            return iterations
        }
    }
}
