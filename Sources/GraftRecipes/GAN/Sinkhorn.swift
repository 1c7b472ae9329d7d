import Foundation

/// Entropy-regularised optimal transport between two uniform point clouds (Cuturi 2013), solved
/// in the log domain so that small regularisation does not underflow: with cost C [n, m] and
/// epsilon, the dual potentials iterate
/// f_i = eps log(1/n) - eps logsumexp_j((g_j - C_ij) / eps) and
/// g_j = eps log(1/m) - eps logsumexp_i((f_i - C_ij) / eps), and the plan is P_ij = exp((f_i + g_j - C_ij) / eps). Computed in Float64.
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
