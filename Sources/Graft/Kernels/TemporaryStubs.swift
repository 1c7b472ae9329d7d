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
public enum OpenBLAS { public static var isAvailable: Bool { false } }
public struct GEMMBenchRow: Sendable, Codable { public var backend: String; public var n: Int; public var threads: Int; public var gflops: Double }
public enum GEMMBenchmark { public static func run(ns: [Int], threadCounts: [Int], backends: [GEMMBackend]) -> [GEMMBenchRow] { [] } }
