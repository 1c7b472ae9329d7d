import Foundation
import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct SinkhornTests {
    /// The textbook (exponential-domain) Sinkhorn iteration, for comparison at moderate epsilon.
    func naivePlan(_ cost: [Double], _ n: Int, _ m: Int, _ epsilon: Double, iterations: Int = 2000) -> [Double] {
        let k = cost.map { exp(-$0 / epsilon) }
        var u = [Double](repeating: 1, count: n), v = [Double](repeating: 1, count: m)
        for _ in 0..<iterations {
            for i in 0..<n { var s = 0.0; for j in 0..<m { s += k[i * m + j] * v[j] }; u[i] = (1 / Double(n)) / s }
            for j in 0..<m { var s = 0.0; for i in 0..<n { s += k[i * m + j] * u[i] }; v[j] = (1 / Double(m)) / s }
        }
        return (0..<(n * m)).map { u[$0 / m] * k[$0] * v[$0 % m] }
    }

    @Test func logDomainAgreesWithTheTextbookIteration() {
        let n = 5, m = 4
        let random = RandomGenerator(seed: 3)
        let cost = (0..<(n * m)).map { _ in Double(random.nextFloat()) }
        let solution = Sinkhorn.solve(cost: cost, rows: n, columns: m, epsilon: 0.2, maxIterations: 5000, tolerance: 1e-12)
        let reference = naivePlan(cost, n, m, 0.2)
        for (a, b) in zip(solution.plan, reference) { #expect(abs(a - b) < 1e-9) }
        for i in 0..<n { #expect(abs(solution.plan[(i * m)..<(i * m + m)].reduce(0, +) - 1 / Double(n)) < 1e-9) }
    }

    @Test func smallEpsilonStaysFiniteAndFindsTheMatching() {
        // Two points each, matched crosswise at zero cost: the plan tends to the permutation.
        let solution = Sinkhorn.solve(cost: [1, 0, 0, 1], rows: 2, columns: 2, epsilon: 1e-3)
        #expect(solution.plan.allSatisfy { $0.isFinite })
        #expect(abs(solution.plan[1] - 0.5) < 1e-9 && abs(solution.plan[2] - 0.5) < 1e-9 && solution.cost < 1e-9)
        // Costs of size 100 with epsilon 1e-3: the exponential form underflows to 0/0, the log form does not.
        let random = RandomGenerator(seed: 5)
        let big = (0..<64).map { _ in 100 * Double(random.nextFloat()) }
        let hard = Sinkhorn.solve(cost: big, rows: 8, columns: 8, epsilon: 1e-3, maxIterations: 2000)
        #expect(hard.plan.allSatisfy { $0.isFinite } && hard.marginalError < 1e-4)
        #expect(naivePlan(big, 8, 8, 1e-3, iterations: 3).contains { !$0.isFinite })
    }

    @Test func energyDistanceOfIdenticalBatchesIsZeroAndPositiveOtherwise() {
        let x = sample([6, 3], seed: 1)
        #expect(abs(OTGAN.energyDistance(real: x, real2: x, fake: x, fake2: x).item) < 1e-6)
        // A collapsed generator (every sample the same direction) is far from spread-out data.
        let x2 = sample([6, 3], seed: 2)
        let collapsed = Tensor([Float](repeating: 1, count: 18), shape: [6, 3])
        let collapsedDistance = OTGAN.energyDistance(real: x, real2: x2, fake: collapsed, fake2: collapsed).item
        let spreadDistance = OTGAN.energyDistance(real: x, real2: x2, fake: sample([6, 3], seed: 7), fake2: sample([6, 3], seed: 8)).item
        #expect(collapsedDistance > 0.5 && collapsedDistance > spreadDistance, "\(collapsedDistance) vs \(spreadDistance)")
        // cosine costs lie in [0, 2] and vanish on the diagonal of a batch with itself
        let c = OTGAN.cosineCost(x, x)
        #expect(c.scalars.allSatisfy { $0 >= -1e-5 && $0 <= 2 + 1e-5 })
        for i in 0..<6 { #expect(abs(c.scalars[i * 6 + i]) < 1e-5) }
    }
}

@Suite struct SinkhornKernelDomainTests {
    @Test func kernelAndLogDomainsReachTheSamePlan() throws {
        let n = 12, m = 9
        let random = RandomGenerator(seed: 11)
        let cost = (0..<(n * m)).map { _ in 0.5 + 2 * Double(random.nextFloat()) }
        let kernel = try #require(Sinkhorn.solveInKernelDomain(cost: cost, rows: n, columns: m, epsilon: 0.1, maxIterations: 5000, tolerance: 1e-12))
        let solved = Sinkhorn.solve(cost: cost, rows: n, columns: m, epsilon: 0.1, maxIterations: 5000, tolerance: 1e-12)
        #expect(solved.iterations == kernel.iterations && solved.plan == kernel.plan, "the kernel path should have been taken")
        let logOnly = Sinkhorn.solveInLogDomain(cost: cost, rows: n, columns: m, epsilon: 0.1, maxIterations: 5000, tolerance: 1e-12)
        for (a, b) in zip(kernel.plan, logOnly.plan) { #expect(abs(a - b) < 1e-9) }
        for i in 0..<n { #expect(abs(kernel.plan[(i * m)..<(i * m + m)].reduce(0, +) - 1 / Double(n)) < 1e-10) }
        #expect(abs(kernel.cost - logOnly.cost) < 1e-9)
    }

    @Test func kernelAndLogDomainsStopAtTheSameIterationWithinABudget() throws {
        // Cosine-like costs in [0, 2] at OT-GAN's epsilon, with too few iterations to converge:
        // both domains run the same updates, so they stop together with the same plan.
        let random = RandomGenerator(seed: 2)
        let cost = (0..<(16 * 16)).map { _ in 2 * Double(random.nextFloat()) }
        for budget in [3, 100] {
            let kernel = try #require(Sinkhorn.solveInKernelDomain(cost: cost, rows: 16, columns: 16, epsilon: 0.05,
                                                                   maxIterations: budget, tolerance: 1e-10))
            let log = Sinkhorn.solveInLogDomain(cost: cost, rows: 16, columns: 16, epsilon: 0.05, maxIterations: budget, tolerance: 1e-10)
            #expect(kernel.iterations == log.iterations, "budget \(budget)")
            #expect(abs(kernel.marginalError - log.marginalError) < 1e-9 && abs(kernel.cost - log.cost) < 1e-9)
            for (a, b) in zip(kernel.plan, log.plan) { #expect(abs(a - b) < 1e-9) }
        }
    }
}
