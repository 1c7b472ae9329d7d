import Foundation

/// The schedules of Ganin et al. (2016, "Domain-Adversarial Training of Neural Networks",
/// JMLR 17, section 5.2.2), as functions of the training progress p, which goes linearly
/// from 0 to 1.
public enum DANNSchedule {
    /// The adaptation factor λ_p = 2 / (1 + exp(-γ p)) - 1 with γ = 10: 0 at the start, when
    /// the domain classifier's signal is noise, rising to almost 1 (0.99991 at p = 1).
    public static func lambda(progress p: Double, gamma: Double = 10) -> Double {
        2 / (1 + exp(-gamma * p)) - 1
    }

    /// The learning rate μ_p = μ_0 / (1 + α p)^β with μ_0 = 0.01, α = 10, β = 0.75: 0.01 at the
    /// start, 0.01 / 11^0.75 ≈ 0.00166 at the end.
    public static func learningRate(progress p: Double, initial: Double = 0.01, alpha: Double = 10, beta: Double = 0.75) -> Double {
        initial / pow(1 + alpha * p, beta)
    }

    /// The progress p = step / totalSteps of step `step` (from 0) of `totalSteps`, in [0, 1].
    public static func progress(step: Int, of totalSteps: Int) -> Double {
        totalSteps <= 0 ? 1 : min(max(Double(step) / Double(totalSteps), 0), 1)
    }
}
