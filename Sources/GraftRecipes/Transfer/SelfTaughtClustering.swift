import Foundation
import Graft

/// What self-taught clustering found.
public struct SelfTaughtClusteringResult: Sendable {
    /// The cluster C_X(x) of each target row.
    public let targetAssignments: [Int]
    /// The cluster C_Y(y) of each auxiliary row.
    public let auxiliaryAssignments: [Int]
    /// The shared feature cluster C_Z(z) of each column.
    public let featureAssignments: [Int]
    /// The objective after the initialisation and after each iteration (never increasing), for
    /// the kept restart.
    public let objective: [Double]
    /// The iterations run (fewer than the maximum when the clusters stopped changing).
    public let iterations: Int
}

/// Self-taught clustering (Dai, Yang, Xue and Yu 2008, "Self-taught clustering", ICML): the
/// target data X, too little to cluster well on its own, is co-clustered together with plentiful
/// unlabelled auxiliary data Y over a shared feature space Z. Both are joint distributions,
/// p(X, Z) and q(Y, Z) (non-negative matrices normalised to sum 1: counts, histograms, pixel
/// intensities), and the feature clustering C_Z is shared, so what Y reveals about which features
/// belong together shapes the clusters of X. The objective (eq. 4) is
///
///     J = I(X; Z) − I(X̃; Z̃) + λ [I(Y; Z) − I(Ỹ; Z̃)]
///       = D(p(X, Z) ‖ p̂(X, Z)) + λ D(q(Y, Z) ‖ q̂(Y, Z)),   p̂(x, z) = p(x̃, z̃) p(x|x̃) p(z|z̃),
///
/// minimised by alternating updates (eqs. 9–11), each of which cannot increase J:
///
///     C_X(x) = argmin_x̃ D(p(Z|x) ‖ p̂(Z|x̃)),      p̂(z|x̃) = p(z|z̃) p(z̃|x̃),
///     C_Y(y) = argmin_ỹ D(q(Z|y) ‖ q̂(Z|ỹ)),
///     C_Z(z) = argmin_z̃ p(z) D(p(X|z) ‖ p̂(X|z̃)) + λ q(z) D(q(Y|z) ‖ q̂(Y|z̃)).
///
/// The terms that do not depend on the candidate cluster drop out, so C_X maximises
/// Σ_z̃ p(x, z̃) log p(z̃|x̃) and C_Z maximises Σ_x̃ p(x̃, z) log p(x̃|z̃) + λ Σ_ỹ q(ỹ, z) log q(ỹ|z̃).
/// With λ = 0 this is information-theoretic co-clustering of the target alone (Dhillon, Mallela
/// and Modha 2003). The clusterings start from k-means on the rows' conditional distributions
/// and on the features' profiles, or from balanced random partitions; like any co-clustering
/// the updates stop in a local minimum, so several restarts can be run and the lowest objective
/// kept. Every start is seeded, so the same seed gives the same result.
public struct SelfTaughtClustering: Sendable {
    /// How the three clusterings start.
    public enum Initialization: Sendable, Equatable {
        /// k-means on p(Z|x), on q(Z|y), and on each feature's profile [p(X|z), q(Y|z)].
        case kMeans
        /// Seeded random partitions with every cluster non-empty (sizes differ by at most one).
        case random
    }

    /// |X̃|, the number of target clusters.
    public let targetClusters: Int
    /// |Ỹ|, the number of auxiliary clusters.
    public let auxiliaryClusters: Int
    /// |Z̃|, the number of shared feature clusters.
    public let featureClusters: Int
    /// λ, the weight of the auxiliary data's term.
    public let lambda: Double
    /// The most alternating iterations.
    public let maxIterations: Int
    /// How the clusterings start.
    public let initialization: Initialization
    /// How many differently seeded starts to run; the result with the lowest final objective is kept.
    public let restarts: Int
    /// The seed of the initialisations.
    public let seed: UInt64

    /// A self-taught clusterer.
    public init(targetClusters: Int, auxiliaryClusters: Int, featureClusters: Int, lambda: Double = 1,
                maxIterations: Int = 50, initialization: Initialization = .kMeans, restarts: Int = 1, seed: UInt64) {
        precondition(targetClusters > 0 && auxiliaryClusters > 0 && featureClusters > 0, "cluster counts must be positive")
        precondition(lambda >= 0 && lambda.isFinite && maxIterations >= 0, "lambda must be finite and non-negative, maxIterations non-negative")
        precondition(restarts > 0, "restarts must be positive, got \(restarts)")
        self.targetClusters = targetClusters
        self.auxiliaryClusters = auxiliaryClusters
        self.featureClusters = featureClusters
        self.lambda = lambda
        self.maxIterations = maxIterations
        self.initialization = initialization
        self.restarts = restarts
        self.seed = seed
    }

    /// Co-clusters the target rows [n][f] with the auxiliary rows [m][f] (non-negative values).
    public func fit(target: [[Double]], auxiliary: [[Double]]) throws -> SelfTaughtClusteringResult {
        let p = try JointDistribution(target, name: "target data")
        let q = try JointDistribution(auxiliary, name: "auxiliary data")
        guard p.cols == q.cols else {
            throw TransferError.invalidData(what: "auxiliary data", reason: "expected \(p.cols) features like the target data, got \(q.cols)")
        }
        guard p.rows >= targetClusters else {
            throw TransferError.invalidData(what: "target data", reason: "expected at least \(targetClusters) rows, got \(p.rows)")
        }
        guard q.rows >= auxiliaryClusters else {
            throw TransferError.invalidData(what: "auxiliary data", reason: "expected at least \(auxiliaryClusters) rows, got \(q.rows)")
        }
        guard p.cols >= featureClusters else {
            throw TransferError.invalidData(what: "target data", reason: "expected at least \(featureClusters) features, got \(p.cols)")
        }
        var best: SelfTaughtClusteringResult?
        for r in 0..<restarts {
            let (cx, cy, cz) = try initialClusters(p, q, seed: seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)
            let run = alternate(p, q, cx, cy, cz)
            if best == nil || run.objective.last! < best!.objective.last! { best = run }
        }
        return best!
    }

    /// The alternating updates from one start, until nothing changes or `maxIterations`.
    func alternate(_ p: JointDistribution, _ q: JointDistribution, _ x0: [Int], _ y0: [Int], _ z0: [Int]) -> SelfTaughtClusteringResult {
        var (cx, cy, cz) = (x0, y0, z0)
        var history = [objective(p, q, cx, cy, cz)]
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let nx = updateRows(p, cx, cz, targetClusters)
            let ny = updateRows(q, cy, cz, auxiliaryClusters)
            let nz = updateFeatures(p, q, nx, ny, cz)
            let changed = nx != cx || ny != cy || nz != cz
            (cx, cy, cz) = (nx, ny, nz)
            history.append(objective(p, q, cx, cy, cz))
            if !changed { break }
        }
        return SelfTaughtClusteringResult(targetAssignments: cx, auxiliaryAssignments: cy, featureAssignments: cz,
                                          objective: history, iterations: iterations)
    }

    /// The starting clusterings of the target rows, the auxiliary rows and the features.
    func initialClusters(_ p: JointDistribution, _ q: JointDistribution, seed: UInt64) throws -> ([Int], [Int], [Int]) {
        switch initialization {
        case .kMeans:
            let cx = try KMeans(k: targetClusters, seed: seed, restarts: 5).fit(p.rowConditionals()).assignments
            let cy = try KMeans(k: auxiliaryClusters, seed: seed &+ 1, restarts: 5).fit(q.rowConditionals()).assignments
            let profiles = zip(p.columnConditionals(), q.columnConditionals()).map { $0 + $1 }
            let cz = try KMeans(k: featureClusters, seed: seed &+ 2, restarts: 5).fit(profiles).assignments
            return (cx, cy, cz)
        case .random:
            let g = RandomGenerator(seed: seed)
            func partition(_ n: Int, _ k: Int) -> [Int] {
                var out = [Int](repeating: 0, count: n)
                for (i, item) in g.permutation(n).enumerated() { out[item] = i % k }
                return out
            }
            return (partition(p.rows, targetClusters), partition(q.rows, auxiliaryClusters), partition(p.cols, featureClusters))
        }
    }

    /// Co-clusters the rows of two [N, F] tensors.
    public func fit(target: Tensor, auxiliary: Tensor) throws -> SelfTaughtClusteringResult {
        try fit(target: JointDistribution.rows(of: target, name: "target data"),
                auxiliary: JointDistribution.rows(of: auxiliary, name: "auxiliary data"))
    }

    /// J = I(X; Z) − I(X̃; Z̃) + λ [I(Y; Z) − I(Ỹ; Z̃)] for the given clusterings of validated data.
    public func objective(target: [[Double]], auxiliary: [[Double]], targetAssignments: [Int],
                          auxiliaryAssignments: [Int], featureAssignments: [Int]) throws -> Double {
        let p = try JointDistribution(target, name: "target data"), q = try JointDistribution(auxiliary, name: "auxiliary data")
        guard targetAssignments.count == p.rows, auxiliaryAssignments.count == q.rows, featureAssignments.count == p.cols, q.cols == p.cols,
              targetAssignments.allSatisfy({ (0..<targetClusters).contains($0) }),
              auxiliaryAssignments.allSatisfy({ (0..<auxiliaryClusters).contains($0) }),
              featureAssignments.allSatisfy({ (0..<featureClusters).contains($0) }) else {
            throw TransferError.invalidData(what: "clustering", reason: "expected one assignment in range per target row, auxiliary row and feature")
        }
        return objective(p, q, targetAssignments, auxiliaryAssignments, featureAssignments)
    }

    func objective(_ p: JointDistribution, _ q: JointDistribution, _ cx: [Int], _ cy: [Int], _ cz: [Int]) -> Double {
        let lossP = p.mutualInformation - p.clustered(cx, targetClusters, cz, featureClusters).mutualInformation
        let lossQ = q.mutualInformation - q.clustered(cy, auxiliaryClusters, cz, featureClusters).mutualInformation
        return lossP + lambda * lossQ
    }

    /// One batch update of the row clusters (eqs. 9 and 10): each row with mass moves to the
    /// cluster x̃ maximising Σ_z̃ p(x, z̃) log p(z̃|x̃); clusters without mass are not candidates.
    func updateRows(_ d: JointDistribution, _ cr: [Int], _ cz: [Int], _ kr: Int) -> [Int] {
        let kz = featureClusters
        let joint = d.clustered(cr, kr, cz, kz).table
        let logCond = (0..<kr).map { r -> [Double]? in
            let mass = joint[r].reduce(0, +)
            return mass > 0 ? joint[r].map { Self.safeLog($0 / mass) } : nil
        }
        var out = cr
        for x in 0..<d.rows where d.rowMass[x] > 0 {
            var byFeature = [Double](repeating: 0, count: kz)
            for z in 0..<d.cols { byFeature[cz[z]] += d[x, z] }
            var best = cr[x], bestScore = -Double.infinity
            for r in 0..<kr {
                guard let lc = logCond[r] else { continue }
                var s = 0.0
                for f in 0..<kz where byFeature[f] > 0 { s += byFeature[f] * lc[f] }
                if s > bestScore { best = r; bestScore = s }
            }
            out[x] = best
        }
        return out
    }

    /// One batch update of the shared feature clusters (eq. 11): each feature moves to the z̃
    /// maximising Σ_x̃ p(x̃, z) log p(x̃|z̃) + λ Σ_ỹ q(ỹ, z) log q(ỹ|z̃).
    func updateFeatures(_ p: JointDistribution, _ q: JointDistribution, _ cx: [Int], _ cy: [Int], _ cz: [Int]) -> [Int] {
        let kz = featureClusters
        func logConditionals(_ d: JointDistribution, _ cr: [Int], _ kr: Int) -> [[Double]] {
            let joint = d.clustered(cr, kr, cz, kz).table
            return (0..<kz).map { f in
                let mass = (0..<kr).reduce(0.0) { $0 + joint[$1][f] }
                return (0..<kr).map { r in mass > 0 ? Self.safeLog(joint[r][f] / mass) : Self.safeLog(0) }
            }
        }
        let lp = logConditionals(p, cx, targetClusters), lq = logConditionals(q, cy, auxiliaryClusters)
        // A feature cluster with no mass in either distribution is not a candidate.
        var hasMass = [Bool](repeating: false, count: kz)
        for z in 0..<p.cols where p.colMass[z] > 0 || q.colMass[z] > 0 { hasMass[cz[z]] = true }
        var out = cz
        for z in 0..<p.cols where p.colMass[z] > 0 || q.colMass[z] > 0 {
            var byP = [Double](repeating: 0, count: targetClusters), byQ = [Double](repeating: 0, count: auxiliaryClusters)
            for x in 0..<p.rows { byP[cx[x]] += p[x, z] }
            for y in 0..<q.rows { byQ[cy[y]] += q[y, z] }
            var best = cz[z], bestScore = -Double.infinity
            for f in 0..<kz where hasMass[f] {
                var s = 0.0
                for r in 0..<targetClusters where byP[r] > 0 { s += byP[r] * lp[f][r] }
                if lambda > 0 { for r in 0..<auxiliaryClusters where byQ[r] > 0 { s += lambda * byQ[r] * lq[f][r] } }
                if s > bestScore { best = f; bestScore = s }
            }
            out[z] = best
        }
        return out
    }

    /// log v, with zero mapped to a large finite negative number (log of 1e-300) so that an
    /// impossible cluster is heavily penalised but comparisons stay finite.
    static func safeLog(_ v: Double) -> Double { Foundation.log(Swift.max(v, 1e-300)) }
}

/// A non-negative matrix normalised to sum 1, read as a joint distribution of rows and columns.
struct JointDistribution: Sendable {
    let rows: Int, cols: Int
    /// Row-major probabilities.
    let values: [Double]
    /// Row and column marginals.
    let rowMass: [Double], colMass: [Double]

    /// Validates and normalises `matrix`; `name` appears in errors.
    init(_ matrix: [[Double]], name: String) throws {
        guard let first = matrix.first, !first.isEmpty else {
            throw TransferError.invalidData(what: name, reason: "expected a non-empty matrix of rows and features")
        }
        let cols = first.count
        var flat: [Double] = []
        flat.reserveCapacity(matrix.count * cols)
        var total = 0.0
        for (r, row) in matrix.enumerated() {
            guard row.count == cols else {
                throw TransferError.invalidData(what: "\(name) row \(r)", reason: "expected \(cols) values, got \(row.count)")
            }
            for (c, v) in row.enumerated() {
                guard v.isFinite && v >= 0 else {
                    throw TransferError.invalidData(what: "\(name) row \(r) column \(c)", reason: "expected a finite non-negative value, got \(v)")
                }
                flat.append(v)
                total += v
            }
        }
        guard total > 0 else { throw TransferError.invalidData(what: name, reason: "every value is zero; expected some positive mass") }
        rows = matrix.count
        self.cols = cols
        values = flat.map { $0 / total }
        var rm = [Double](repeating: 0, count: rows), cm = [Double](repeating: 0, count: cols)
        for r in 0..<rows { for c in 0..<cols { rm[r] += values[r * cols + c]; cm[c] += values[r * cols + c] } }
        rowMass = rm
        colMass = cm
    }

    /// The rows of a [N, F] tensor.
    static func rows(of x: Tensor, name: String) throws -> [[Double]] {
        guard x.rank == 2 else { throw TransferError.invalidData(what: name, reason: "expected a [N, F] tensor, got shape \(x.shape)") }
        let s = x.scalars, f = x.shape[1]
        return (0..<x.shape[0]).map { r in s[(r * f)..<((r + 1) * f)].map(Double.init) }
    }

    subscript(_ r: Int, _ c: Int) -> Double { values[r * cols + c] }

    /// p(Z|x) for each row (zeros for a row without mass).
    func rowConditionals() -> [[Double]] {
        (0..<rows).map { r in (0..<cols).map { c in rowMass[r] > 0 ? self[r, c] / rowMass[r] : 0 } }
    }

    /// p(X|z) for each column (zeros for a column without mass).
    func columnConditionals() -> [[Double]] {
        (0..<cols).map { c in (0..<rows).map { r in colMass[c] > 0 ? self[r, c] / colMass[c] : 0 } }
    }

    /// I(rows; columns) in nats.
    var mutualInformation: Double {
        var mi = 0.0
        for r in 0..<rows {
            for c in 0..<cols {
                let v = self[r, c]
                if v > 0 { mi += v * Foundation.log(v / (rowMass[r] * colMass[c])) }
            }
        }
        return mi
    }

    /// The joint distribution of the row and column clusters, p(x̃, z̃).
    func clustered(_ cr: [Int], _ kr: Int, _ cc: [Int], _ kc: Int) -> ClusteredJoint {
        var table = [[Double]](repeating: [Double](repeating: 0, count: kc), count: kr)
        for r in 0..<rows { for c in 0..<cols { table[cr[r]][cc[c]] += self[r, c] } }
        return ClusteredJoint(table: table)
    }
}

/// p(x̃, z̃) as a table.
struct ClusteredJoint {
    let table: [[Double]]

    /// I(X̃; Z̃) in nats.
    var mutualInformation: Double {
        let rm = table.map { $0.reduce(0, +) }
        let cm = (0..<(table.first?.count ?? 0)).map { c in table.reduce(0.0) { $0 + $1[c] } }
        var mi = 0.0
        for (r, row) in table.enumerated() {
            for (c, v) in row.enumerated() where v > 0 { mi += v * Foundation.log(v / (rm[r] * cm[c])) }
        }
        return mi
    }
}
