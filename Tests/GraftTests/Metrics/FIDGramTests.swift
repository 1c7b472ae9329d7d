import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftMetrics

/// Issue 25, finding 2: FID with fewer rows than features goes through n x n matrices. Before,
/// two [2, 65536] files allocated a 34 GB covariance and aborted (exit 134); [2, 30000] held
/// 21 GB and ran for more than 13 minutes without an answer.
@Suite struct FIDGramTests {
    /// n rows of d normal features.
    func features(_ n: Int, _ d: Int, seed: UInt64, scale: Float = 1, shift: Float = 0) throws -> FeatureMatrix {
        let rng = RandomGenerator(seed: seed)
        return try FeatureMatrix(Tensor((0..<(n * d)).map { _ in rng.nextNormal() * scale + shift }, shape: [n, d]), name: "set \(seed)")
    }

    @Test func gramRouteEqualsCovarianceRoute() throws {
        // Where Sigma_1 Sigma_2 has lower rank than Sigma_1 (here 2 against 4 for 5 and 3 rows),
        // the covariance route adds square roots of rounding noise, about 5e-9 of the trace; the
        // Gram route keeps only the rank's eigenvalues (checked in 50-digit arithmetic: 1e-16).
        for (n1, n2, d) in [(30, 40, 50), (12, 80, 20), (200, 150, 16), (5, 3, 9)] {
            let a = try features(n1, d, seed: UInt64(n1)), b = try features(n2, d, seed: UInt64(n2 + 1000), scale: 1.4, shift: 0.3)
            let gram = try FIDGram.distance(a, b)
            let cov = try FID.distance(GaussianStatistics(a), GaussianStatistics(b))
            #expect(close(gram.fid, cov.fid, 2e-8), "\(n1), \(n2), \(d): \(gram.fid) vs \(cov.fid)")
            #expect(close(gram.traceSqrtProduct, cov.traceSqrtProduct, 2e-8), "\(gram.traceSqrtProduct) vs \(cov.traceSqrtProduct)")
            #expect(close(gram.traceA, cov.traceA, 1e-12) && close(gram.traceB, cov.traceB, 1e-12))
            #expect(gram.meanDistanceSquared == cov.meanDistanceSquared && gram.dimension == d)
            // The route does not depend on which set comes first.
            let swapped = try FIDGram.distance(b, a)
            #expect(close(swapped.fid, gram.fid, 1e-12) && swapped.traceA == gram.traceB)
        }
        let thin = try features(10, 40, seed: 2)
        let same = try FIDGram.distance(thin, thin)
        #expect(abs(same.fid) < 1e-9 * same.traceA, "\(same)")
    }

    @Test func routeFollowsTheShapes() {
        func route(_ a: Int, _ b: Int, _ d: Int) -> FIDPlan.Route { FIDPlan(rowsA: a, rowsB: b, features: d, nameA: "a", nameB: "b").route }
        #expect(route(2, 2, 65536) == .gram && route(100, 50_000, 2048) == .gram)
        #expect(route(2048, 2048, 2048) == .covariance && route(200, 150, 16) == .covariance)
        // The issue's [2, 30000] needed 7.2 GB per covariance; its Gram route about 0.1 GB.
        #expect(FIDPlan(rowsA: 2, rowsB: 2, features: 30000, nameA: "a", nameB: "b").memory.bytes < 2e8)
    }

    @Test func twoRowsOf65536FeaturesHaveTheClosedForm() throws {
        // Two rows per set: Sigma_1 = u u^T, Sigma_2 = v v^T with u = (x1 - x2) / sqrt 2, so
        // Sigma_1 Sigma_2 has the single eigenvalue (u.v)^2 and FID = ||mu1 - mu2||^2 + |u|^2 + |v|^2 - 2 |u.v|.
        let d = 65536
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rng = RandomGenerator(seed: 25)
        let x = (0..<(2 * d)).map { _ in rng.nextNormal() }, y = (0..<(2 * d)).map { _ in rng.nextNormal() * 0.8 + 0.1 }
        let pathA = dir.appendingPathComponent("a.npy"), pathB = dir.appendingPathComponent("b.npy")
        try NPY.write(Tensor(x, shape: [2, d]), to: pathA)
        try NPY.write(Tensor(y, shape: [2, d]), to: pathB)
        var mean = 0.0, uu = 0.0, vv = 0.0, uv = 0.0
        for k in 0..<d {
            let (x1, x2, y1, y2) = (Double(x[k]), Double(x[d + k]), Double(y[k]), Double(y[d + k]))
            let m = (x1 + x2) / 2 - (y1 + y2) / 2, u = (x1 - x2) / 2.squareRoot(), v = (y1 - y2) / 2.squareRoot()
            mean += m * m
            uu += u * u
            vv += v * v
            uv += u * v
        }
        let want = mean + uu + vv - 2 * abs(uv)
        let report = try EvalFiles.fid(pathA.path, pathB.path)
        guard case .number(let fid) = report["fid"], case .number(let cross) = report["trace_sqrt_product"] else {
            Issue.record("no fid in \(report)")
            return
        }
        #expect(close(fid, want, 1e-9), "\(fid) vs \(want)")
        #expect(close(cross, abs(uv), 1e-9), "\(cross) vs \(abs(uv))")
        #expect(report["features"] == .integer(d))
    }
}
