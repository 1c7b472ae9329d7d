import Foundation
import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct SymmetricEigenTests {
    /// A random symmetric n x n matrix.
    func randomSymmetric(_ n: Int, seed: UInt64) -> [Double] {
        let rng = RandomGenerator(seed: seed)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { let v = Double(rng.nextNormal()); a[i * n + j] = v; a[j * n + i] = v } }
        return a
    }

    @Test func knownMatrices() throws {
        let two = try SymmetricEigen.eigenvalues([2, 1, 1, 2], n: 2)
        #expect(abs(two[0] - 1) < 1e-15 && abs(two[1] - 3) < 1e-15, "\(two)")
        #expect(try SymmetricEigen.eigenvalues([5], n: 1) == [5])
        let diagonal = try SymmetricEigen(matrix: [3, 0, 0, 0, -1, 0, 0, 0, 2], n: 3)
        #expect(diagonal.values == [-1, 2, 3])
        #expect(diagonal.vectors == [0, 1, 0, 0, 0, 1, 1, 0, 0])
        // The 1-D discrete Laplacian: eigenvalues 2 - 2 cos(k pi / (n + 1)).
        let n = 9
        var lap = [Double](repeating: 0, count: n * n)
        for i in 0..<n { lap[i * n + i] = 2; if i > 0 { lap[i * n + i - 1] = -1; lap[(i - 1) * n + i] = -1 } }
        let values = try SymmetricEigen.eigenvalues(lap, n: n)
        for k in 1...n { #expect(abs(values[k - 1] - (2 - 2 * cos(Double(k) * .pi / Double(n + 1)))) < 1e-13) }
        // Repeated eigenvalues: the identity.
        let identity = try SymmetricEigen(matrix: (0..<16).map { $0 % 5 == 0 ? 1 : 0 }, n: 4)
        #expect(identity.values == [1, 1, 1, 1])
    }

    @Test func reconstructsWithOrthonormalVectors() throws {
        for n in [2, 7, 40, 130] {
            let a = randomSymmetric(n, seed: UInt64(n))
            let e = try SymmetricEigen(matrix: a, n: n)
            #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
            var worst = 0.0, worstOrtho = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    var r = 0.0, o = 0.0
                    for k in 0..<n {
                        r += e.vectors[k * n + i] * e.values[k] * e.vectors[k * n + j]
                        o += e.vectors[i * n + k] * e.vectors[j * n + k]
                    }
                    worst = max(worst, abs(r - a[i * n + j]))
                    worstOrtho = max(worstOrtho, abs(o - (i == j ? 1 : 0)))
                }
            }
            #expect(worst < 1e-12 * Double(n) && worstOrtho < 1e-13 * Double(n), "n \(n): \(worst) \(worstOrtho)")
            let valuesOnly = try SymmetricEigen.eigenvalues(a, n: n)
            #expect(zip(valuesOnly, e.values).allSatisfy { abs($0 - $1) < 1e-12 * Double(n) })
        }
    }

    @Test func refusesBadMatrices() {
        #expect(thrownText { try SymmetricEigen(matrix: [1, 2, 3], n: 2) }.contains("expected 2 x 2 = 4 values, got 3"))
        #expect(thrownText { try SymmetricEigen(matrix: [1, 2, 0, 1], n: 2) }.contains("not symmetric: element (1, 0) is 0.0, element (0, 1) is 2.0"))
        #expect(thrownText { try SymmetricEigen(matrix: [1, .nan, .nan, 1], n: 2) }.contains("element (0, 1) is nan"))
    }
}
