import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct PrincipalComponentsTests {
    @Test func findsAKnownPrincipalAxis() throws {
        // Points spread with deviation 3 along (1, 2, 2)/3 and 1 along (2, 1, -2)/3 and 0.1
        // along the third axis (-2, 2, -1)/3, around (5, -1, 2).
        let rng = RandomGenerator(seed: 4)
        let axes: [[Double]] = [[1, 2, 2], [2, 1, -2], [-2, 2, -1]].map { $0.map { $0 / 3 } }
        let spreads = [3.0, 1.0, 0.1], centre = [5.0, -1.0, 2.0]
        var values: [Float] = []
        let n = 2000
        for _ in 0..<n {
            let z = spreads.map { s in s * Double(rng.nextNormal()) }
            for j in 0..<3 {
                var v = centre[j]
                for k in 0..<3 { v += z[k] * axes[k][j] }
                values.append(Float(v))
            }
        }
        let data = Tensor(values, shape: [n, 3])
        let pca = try PrincipalComponents(data: data, count: 2)
        for (found, truth) in zip(pca.components, axes.prefix(2)) {
            let cosine = abs(zip(found, truth).reduce(0) { $0 + $1.0 * $1.1 })
            #expect(cosine > 0.999, "\(found) vs \(truth)")
        }
        #expect(abs(pca.variances[0] - 9) < 0.6 && abs(pca.variances[1] - 1) < 0.1)
        for j in 0..<3 { #expect(abs(pca.mean[j] - centre[j]) < 0.2) }
        // The projection has the centred data's variances and no correlation.
        let projected = try pca.project(data)
        #expect(projected.shape == [n, 2])
        let p = projected.scalars.map(Double.init)
        var (sum0, squares0, cross) = (0.0, 0.0, 0.0)
        for i in 0..<n {
            let (a, b) = (p[2 * i], p[2 * i + 1])
            sum0 += a
            squares0 += a * a
            cross += a * b
        }
        let mean0 = sum0 / Double(n)
        let var0 = (squares0 - Double(n) * mean0 * mean0) / Double(n - 1)
        cross /= Double(n - 1)
        #expect(abs(mean0) < 1e-4 && abs(var0 - pca.variances[0]) < 1e-3 * pca.variances[0] && abs(cross) < 1e-3)
        // Reproducible: the same seed gives the same axes, signs included.
        #expect(try PrincipalComponents(data: data, count: 2).components == pca.components)
    }

    @Test func rankDeficientDataStillGetsOrthonormalComponents() throws {
        // All points on one line: the second component has no variance but is still a unit
        // vector orthogonal to the first.
        let data = Tensor((0..<10).flatMap { i in [Float(i), Float(2 * i)] }, shape: [10, 2])
        let pca = try PrincipalComponents(data: data, count: 2)
        let (a, b) = (pca.components[0], pca.components[1])
        #expect(abs(a[0] - 1 / 5.0.squareRoot()) < 1e-9 && abs(a[1] - 2 / 5.0.squareRoot()) < 1e-9)
        #expect(abs(a[0] * b[0] + a[1] * b[1]) < 1e-9 && abs(b[0] * b[0] + b[1] * b[1] - 1) < 1e-9)
        #expect(pca.variances[1] < 1e-9)
    }

    @Test func refusesBadInput() {
        #expect(throws: DANNError.badBatch(what: "PCA data", reason: "expected [N, D] with N >= 2 and D >= 1, got [1, 3]")) {
            try PrincipalComponents(data: Tensor([1, 2, 3], shape: [1, 3]))
        }
        #expect(throws: DANNError.badBatch(what: "PCA component count", reason: "expected 1...2, got 3")) {
            try PrincipalComponents(data: Tensor([1, 2, 3, 4], shape: [2, 2]), count: 3)
        }
        #expect(throws: DANNError.badBatch(what: "PCA data", reason: "row 1 column 0 is nan; every value must be finite")) {
            try PrincipalComponents(data: Tensor([1, 2, .nan, 4], shape: [2, 2]))
        }
    }
}
