import Foundation

/// The highway layer and logistic head of a CNN sequence discriminator in one pass over pooled
/// features (`Tensor.highwayLogisticHead`): one GEMM for all rows, then per row the gate, the
/// mix and the head's dot product, split across threads by rows.
enum HighwayHeadKernel {
    /// Probabilities [rows] from pooled [rows, f], weight [f, outputs] (outputs = 2f when gated:
    /// gate columns then candidate columns), bias [outputs], head [f].
    static func run(pooled: UnsafePointer<Float>, rows: Int, features f: Int, weight: UnsafePointer<Float>,
                    bias hb: UnsafePointer<Float>, outputs: Int, head hw: UnsafePointer<Float>, headBias: Float) -> Tensor {
        let gated = outputs == 2 * f
        let mixed = UnsafeMutablePointer<Float>.allocate(capacity: rows * outputs)
        defer { mixed.deallocate() }
        sgemm(transA: false, transB: false, m: rows, n: outputs, k: f, alpha: 1, a: pooled, lda: f,
              b: weight, ldb: outputs, beta: 0, c: mixed, ldc: outputs)
        let probabilities = Tensor(uninitializedShape: [rows])
        let result = probabilities.storage.pointer
        ThreadPool.shared.parallelChunks(total: rows, minChunk: 16) { range in
            let gate = UnsafeMutablePointer<Float>.allocate(capacity: f)
            defer { gate.deallocate() }
            for r in range {
                let x = pooled + r * f, h = mixed + r * outputs
                for j in 0..<outputs { h[j] += hb[j] }
                let candidate = gated ? h + f : h
                VectorMath.sigmoid(h, gate, count: f)
                var logit: Float = 0
                for j in 0..<f {
                    let t = gate[j]
                    logit += hw[j] * (t * max(candidate[j], 0) + (1 - t) * x[j])
                }
                result[r] = 1 / (1 + Foundation.exp(-(logit + headBias)))
            }
        }
        return probabilities
    }
}
