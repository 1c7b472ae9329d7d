import Foundation

/// The loops of `Tensor.minibatchCloseness` (moved from GraftRecipes' MinibatchDiscrimination):
/// one task per kernel b, pairs (i, j > i) in a fixed order.
enum MinibatchClosenessKernel {
    /// out[i, k] += Σ_{j ≠ i} e_ij, e_ij = exp(-‖m[i, k] - m[j, k]‖₁), keeping every e_ij in `saved`.
    static func forward(_ src: UnsafePointer<Float>, n: Int, b: Int, c: Int, saved: ClosenessValues, into dst: UnsafeMutablePointer<Float>) {
        let pairs = n * (n - 1) / 2
        saved.values.withUnsafeMutableBufferPointer { eBuffer in
            let eAll = eBuffer.baseAddress!
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
        }
    }

    /// dm += the vector-Jacobian product of the forward pass for the incoming gradient [N, B].
    static func backward(_ src: UnsafePointer<Float>, grad gp: UnsafePointer<Float>, n: Int, b: Int, c: Int, saved: ClosenessValues,
                         into dst: UnsafeMutablePointer<Float>) {
        let pairs = n * (n - 1) / 2
        saved.values.withUnsafeBufferPointer { eBuffer in
            let eAll = eBuffer.baseAddress!
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
        }
    }

    /// sum_t |a[t] - b[t]| over `count` values.
    @inline(__always)
    static func l1Distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var distance: Float = 0
        for t in 0..<count { distance += Swift.abs(a[t] - b[t]) }
        return distance
    }
}

/// The closeness values of one forward pass, kept for its backward pass.
final class ClosenessValues: @unchecked Sendable {
    /// [B, N(N-1)/2].
    var values: [Float]
    /// Zeros for `count` values.
    init(count: Int) { values = [Float](repeating: 0, count: count) }
}
