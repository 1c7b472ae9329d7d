import Foundation
import Testing
@testable import Graft

@Suite struct ReduceTests {
    let x = Tensor((0..<24).map { Float($0) }, shape: [2, 3, 4])

    @Test func sumsOverAnyAxes() {
        #expect(x.sum().item == 276)
        #expect(x.sum(axis: 0).shape == [3, 4])
        #expect(x.sum(axis: 1).scalars == [12, 15, 18, 21, 48, 51, 54, 57])
        #expect(x.sum(axis: -1, keepDims: true).shape == [2, 3, 1])
        #expect(x.sum(axes: [0, 2]).scalars == [60, 92, 124])
        #expect(x.sum(axes: [0, 1]).scalars == [60, 66, 72, 78])
        #expect(x.mean(axes: [1, 2], keepDims: true).scalars == [5.5, 17.5])
        #expect(x.max(axis: 1).scalars == [8, 9, 10, 11, 20, 21, 22, 23])
        #expect(x.min(axes: [0, 2]).scalars == [0, 4, 8])
        #expect(x.argmax(axis: 2).scalars == [3, 3, 3, 3, 3, 3])
        #expect(x.argmin(axis: 0, keepDims: true).shape == [1, 3, 4])
        #expect(Tensor([3, 1, 3]).argmax(axis: 0).item == 0)
    }

    @Test func logsumexpAndVariance() {
        let v = Tensor([1000, 1000, 1000], shape: [1, 3])
        #expect(abs(v.logsumexp(axes: [1]).item - (1000 + Foundation.log(Float(3)))) < 1e-3)
        #expect(Tensor([-Float.infinity, -.infinity]).logsumexp().item == -.infinity)
        let w = Tensor([1, 2, 3, 4])
        #expect(abs(w.variance().item - 5.0 / 3) < 1e-6)
        #expect(abs(w.variance(unbiased: false).item - 1.25) < 1e-6)
        #expect(Tensor([1, Float.nan, 3]).max().item.isNaN)
    }

    @Test func longExtremaAgreeWithAScanAndPropagateNaN() {
        // Lengths around the 8- and 32-lane steps, extremes at every kind of position.
        for n in [8, 9, 31, 32, 33, 40, 71, 100] {
            let values = sample([n], seed: UInt64(n)).scalars
            for at in [0, n / 2, n - 1] {
                var v = values
                v[at] = 5
                #expect(Tensor(v).max().item == 5, "max, n \(n) at \(at)")
                v[at] = -5
                #expect(Tensor(v).min().item == -5, "min, n \(n) at \(at)")
                v[at] = .nan
                #expect(Tensor(v).max().item.isNaN && Tensor(v).min().item.isNaN, "NaN, n \(n) at \(at)")
            }
            // +inf and -inf together (their sum is NaN) are not a NaN.
            var v = values
            v[0] = .infinity
            v[n - 1] = -.infinity
            #expect(Tensor(v).max().item == .infinity && Tensor(v).min().item == -.infinity, "infinities, n \(n)")
        }
    }

    @Test func largeReductionsAreDeterministicAcrossThreads() {
        let big = sample([513, 257], seed: 4)
        let (s1, s0) = ComputeThreads.with(1) { (big.sum(axis: 1).scalars, big.sum(axis: 0).scalars) }
        ComputeThreads.with(2) {
            #expect(big.sum(axis: 1).scalars == s1 && big.sum(axis: 0).scalars == s0)
        }
        var ref = [Double](repeating: 0, count: 257)
        for i in 0..<513 { for j in 0..<257 { ref[j] += Double(big[i, j]) } }
        expectClose(s0, ref.map(Float.init), tol: 1e-4)
    }

    @Test func gradients() {
        let t = sample([2, 3, 4])
        checkGradients([t]) { $0[0].sum() }
        checkGradients([t]) { $0[0].sum(axes: [0, 2]) }
        checkGradients([t]) { $0[0].mean(axes: [1], keepDims: true) }
        checkGradients([t]) { $0[0].max(axes: [1, 2]) }
        checkGradients([t]) { $0[0].min(axis: 0) }
        checkGradients([t]) { $0[0].logsumexp(axes: [0, 2]) }
        checkGradients([t]) { $0[0].variance(axes: [1, 2]) }
        checkGradients([t]) { $0[0].norm(axes: [2]) }
        checkGradients([sample([3, 1])]) { $0[0].expand([2, 3, 4]) }
        checkGradients([sample([2, 3, 4])]) { $0[0].sumTo([3, 1]) }
    }

    @Test func tiedMaximaShareTheGradient() {
        let t = Tensor([1, 3, 3]).requiringGrad()
        t.max().backward()
        #expect(t.grad!.scalars == [0, 0.5, 0.5])
    }
}

