import Foundation
import Graft
import GraftNN

/// Mini-batch discrimination (Salimans et al. 2016, Sec. 3.2): with features f(x_i) in R^A and a
/// learned tensor T in R^{A x B x C}, M_i = f(x_i) T in R^{B x C}, c_b(x_i, x_j) =
/// exp(-||M_{i,b} - M_{j,b}||_1) and o(x_i)_b = sum_{j != i} c_b(x_i, x_j); the layer returns
/// [f(x_i), o(x_i)], so the discriminator sees how close each sample is to the rest of its batch
/// and can tell a collapsed batch from a varied one.
public final class MinibatchDiscrimination: Module, UnaryLayer {
    /// T, stored as [A, B*C].
    public var kernels: Tensor
    /// B, the number of closeness features added.
    public let outFeatures: Int
    /// C, the size of each projection.
    public let kernelSize: Int

    /// A layer for `inFeatures` inputs adding `outFeatures` closeness features, each from a
    /// projection of `kernelSize` dimensions.
    public init(inFeatures: Int, outFeatures: Int = 16, kernelSize: Int = 8, generator: RandomGenerator = .global) {
        precondition(inFeatures > 0 && outFeatures > 0 && kernelSize > 0, "MinibatchDiscrimination needs positive sizes")
        kernels = Tensor.randn([inFeatures, outFeatures * kernelSize], std: 0.1, generator: generator)
        self.outFeatures = outFeatures
        self.kernelSize = kernelSize
        super.init()
    }

    /// [N, A] -> [N, A + B].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == kernels.shape[0], "MinibatchDiscrimination expects [N, \(kernels.shape[0])], got \(x.shape)")
        let m = x.matmul(kernels).reshape([x.shape[0], outFeatures, kernelSize])
        return Tensor.concat([x, MinibatchDiscrimination.closeness(m)], axis: 1)
    }

    /// o[i, b] = sum_{j != i} exp(-sum_c |m[i, b, c] - m[j, b, c]|) for m [N, B, C], as one
    /// fused op: the N x N x B x C differences are never stored (with tensor ops they were ten
    /// passes over N^2 B C elements per call). The B kernels run in parallel, each summing in a
    /// fixed order (the result does not depend on the thread count), and the forward pass keeps
    /// its N(N-1)/2 x B closeness values for the backward pass, which is first order only.
    public static func closeness(_ m: Tensor) -> Tensor {
        precondition(m.rank == 3, "MinibatchDiscrimination.closeness expects [N, B, C], got \(m.shape)")
        let n = m.shape[0], b = m.shape[1], c = m.shape[2]
        let pairs = n * (n - 1) / 2
        let saved = ClosenessValues(count: pairs * b)
        return Tensor.custom(name: "minibatchCloseness", inputs: [m], forward: { inputs in
            let out = Tensor.zeros([n, b])
            inputs[0].withUnsafeBufferPointer { srcBuffer in out.withUnsafeMutableBufferPointer { dstBuffer in saved.values.withUnsafeMutableBufferPointer { eBuffer in
            let src = srcBuffer.baseAddress!, dst = dstBuffer.baseAddress!, eAll = eBuffer.baseAddress!
            ThreadPool.shared.parallelFor(b) { k in
                let e = eAll + k * pairs
                var p = 0
                for i in 0..<n {
                    let rowI = src + (i * b + k) * c
                    var sumI: Float = 0
                    for j in (i + 1)..<Swift.max(n, i + 1) {
                        let value = Foundation.exp(-l1Distance(rowI, src + (j * b + k) * c, c))
                        e[p] = value; p += 1
                        sumI += value
                        dst[j * b + k] += value
                    }
                    dst[i * b + k] += sumI
                }
            }
            } } }
            return out
        }, vjp: { grad, inputs, _ in
            let dm = Tensor.zeros([n, b, c])
            inputs[0].withUnsafeBufferPointer { srcBuffer in grad.withUnsafeBufferPointer { gradBuffer in dm.withUnsafeMutableBufferPointer { dstBuffer in saved.values.withUnsafeBufferPointer { eBuffer in
            let src = srcBuffer.baseAddress!, gp = gradBuffer.baseAddress!, dst = dstBuffer.baseAddress!, eAll = eBuffer.baseAddress!
            ThreadPool.shared.parallelFor(b) { k in
                let e = eAll + k * pairs
                var p = 0
                for i in 0..<n {
                    let rowI = src + (i * b + k) * c, outI = dst + (i * b + k) * c
                    for j in (i + 1)..<Swift.max(n, i + 1) {
                        let rowJ = src + (j * b + k) * c, outJ = dst + (j * b + k) * c
                        // d e / d m_i = -e sign(m_i - m_j), and e feeds both o[i] and o[j].
                        let scale = -(gp[i * b + k] + gp[j * b + k]) * e[p]
                        p += 1
                        for t in 0..<c {
                            let d = rowI[t] - rowJ[t]
                            let s: Float = d > 0 ? scale : (d < 0 ? -scale : 0)
                            outI[t] += s
                            outJ[t] -= s
                        }
                    }
                }
            }
            } } } }
            return [dm]
        })
    }

    /// sum_t |a[t] - b[t]| over `count` values.
    @inline(__always)
    private static func l1Distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var distance: Float = 0
        for t in 0..<count { distance += Swift.abs(a[t] - b[t]) }
        return distance
    }
}

/// The closeness values of one forward pass, kept for its backward pass.
private final class ClosenessValues: @unchecked Sendable {
    var values: [Float]
    init(count: Int) { values = [Float](repeating: 0, count: count) }
}
