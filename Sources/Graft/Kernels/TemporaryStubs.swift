// TEMPORARY: replaced by the real ThreadPool/GEMM/FastMath files being written in parallel.
import Foundation
public final class ThreadPool: @unchecked Sendable {
    public static let shared = ThreadPool()
    public var threadCount: Int = 1
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) { for i in 0..<count { body(i) } }
    public func parallelChunks(total: Int, minChunk: Int, _ body: (Range<Int>) -> Void) { if total > 0 { body(0..<total) } }
}
public enum GEMMBackend: String, Sendable, CaseIterable { case swift, openblas }
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, backend: GEMMBackend? = nil) {
    for i in 0..<m { for j in 0..<n {
        var s: Float = 0
        for p in 0..<k { s += (transA ? a[p*lda+i] : a[i*lda+p]) * (transB ? b[j*ldb+p] : b[p*ldb+j]) }
        c[i*ldc+j] = alpha * s + (beta == 0 ? 0 : beta * c[i*ldc+j])
    } }
}
func expArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { for i in 0..<n { y[i] = Foundation.exp(x[i]) } }
func logArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { for i in 0..<n { y[i] = Foundation.log(x[i]) } }
func tanhArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { for i in 0..<n { y[i] = Foundation.tanh(x[i]) } }
func sigmoidArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { for i in 0..<n { y[i] = 1 / (1 + Foundation.exp(-x[i])) } }
func softplusArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { for i in 0..<n { y[i] = max(x[i], 0) + Foundation.log1p(Foundation.exp(-abs(x[i]))) } }
func geluArray(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { for i in 0..<n { y[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] / 2.0.squareRoot().float)) } }
extension Double { var float: Float { Float(self) } }
