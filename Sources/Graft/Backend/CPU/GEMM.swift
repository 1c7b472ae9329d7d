#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Which implementation computes a matrix product (public for `graft bench gemm`).
public enum GEMMBackend: String, Sendable, CaseIterable {
    /// Graft's own SGEMM (packed panels, ThreadPool.shared; a 14x32 AVX-512 micro-kernel on CPUs
    /// with AVX-512F, else a 6x16 AVX2 one: see `gemmSwiftKernelName`).
    case swift
    /// OpenBLAS's `cblas_sgemm`, loaded at run time (see `OpenBLAS`).
    case openblas
}

/// Internal to the backend (nothing outside Graft uses it): ops call `Backend.matmul`/`linear`,
/// and `graft bench gemm` calls `GEMMBenchmark`.
///
/// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, row-major; op(X) = X or X^T.
/// lda/ldb/ldc are row strides of A, B, C as stored. beta == 0 overwrites C (NaN in C does not
/// propagate). `backend: nil` uses `gemmDefaultBackend(...)`.
///
/// For a fixed shape, thread count and backend the result is bitwise reproducible. The Swift
/// backend's result does not even depend on the thread count (threads split C into whole
/// micro-tiles and every element is summed in the same order).
func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
           backend: GEMMBackend? = nil) {
    precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size")
    if m == 0 || n == 0 { return }
    if k == 0 || alpha == 0 {
        GEMMDriver.scale(m: m, n: n, beta: beta, c: c, ldc: ldc)
        return
    }
    let threads = GEMMDriver.threads(m: m, n: n, k: k)
    let chosen = backend ?? gemmDefaultBackend(transA: transA, transB: transB, m: m, n: n, k: k)
    if chosen == .openblas && OpenBLAS.isAvailable
        && GEMMDriver.blasAccepts(transA: transA, transB: transB, m: m, n: n, k: k,
                                  lda: lda, ldb: ldb, ldc: ldc) {
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        OpenBLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                       a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
                       threads: flops < GEMMDriver.openBLASParallelFlops ? 1 : threads)
        return
    }
    if chosen == .openblas && !OpenBLAS.isAvailable { GEMMDriver.warnNoOpenBLAS() }
    GEMMDriver.swiftGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                         a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
                         threads: threads)
}

/// The micro-kernel family the Swift backend runs on this CPU: "avx512" when the CPU has AVX-512F
/// (unless `GRAFT_AVX512=off`), else "avx2".
var gemmSwiftKernelName: String { GEMMKernel.preferred.name }

/// The backend `sgemm(..., backend: nil)` uses for a shape, on `ThreadPool.shared.threadCount`
/// threads.
///
/// `GRAFT_GEMM=swift|openblas` forces one (openblas falls back to swift, with a one-time warning
/// on stderr, when OpenBLAS is not found). Otherwise a static rule drawn from benchmarks (not a
/// timed autotune, so the choice, and hence the bits of every result, never depends on timing
/// noise):
/// - Swift kernel `avx512` (CPU with AVX-512F, `GRAFT_AVX512` not off): Swift. Against OpenBLAS
///   0.3.21's SkylakeX kernels on a 2-core Xeon (family 6 model 207): 0.96-1.03x on square
///   n = 256..1024 on 1 and 2 threads (1.4-1.5x at n = 128 on 2), 1.1-3.8x on most tall-skinny
///   shapes (n or k = 32, or 5000), 0.85-0.97x on a few products with a transposed B on one
///   thread (e.g. 128x100x768 NT); and its result does not depend on the thread count.
/// - Swift kernel `avx2`, OpenBLAS running AVX2 kernels (Haswell/Zen cores), or older ones, or no
///   OpenBLAS: Swift. Same instruction set, measured at parity (0.9-1.2x OpenBLAS on square and
///   tall-skinny shapes).
/// - Swift kernel `avx2` (e.g. `GRAFT_AVX512=off`) with OpenBLAS running AVX-512 kernels
///   (SkylakeX/Cooperlake/SapphireRapids cores; twice the vector width): OpenBLAS (1.2-2.5x
///   faster on one thread), except on 2+ threads for outputs at most 64 columns wide (n <= 64)
///   of at least 8 Mflop, where OpenBLAS 0.3.21 splits the work badly: there the Swift kernel on
///   the pool was 1.5-1.9x faster below 64 Mflop (e.g. 64x32x5000 NN, 5000x32x64 TN) and
///   1.1-1.2x above it when A is not transposed (1280x32x5000 NN/NT), while OpenBLAS stayed
///   1.25x faster on the large transposed-A case (5000x32x1280 TN).
func gemmDefaultBackend(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) -> GEMMBackend {
    if let forced = GEMMDriver.forced { return forced }
    if GEMMKernel.preferred == .avx512 { return .swift }
    guard GEMMDriver.openBLASHasWiderKernels else { return .swift }
    let flops = 2.0 * Double(m) * Double(n) * Double(k)
    if ThreadPool.shared.threadCount > 1 && n <= 64 && flops >= GEMMDriver.openBLASParallelFlops
        && (flops < 64_000_000 || !transA) {
        return .swift
    }
    return .openblas
}

/// The Swift SGEMM's blocking, thread split and degenerate cases.
enum GEMMDriver {
    /// Below this many multiply-adds (m*n*k) a plain loop beats packing.
    static let directLimit = 1024
    /// Below this many flops (2mnk) a product runs on one thread.
    static let parallelFlops = 300_000.0

    /// Below this many flops an OpenBLAS product runs on one thread (measured: OpenBLAS 0.3.21
    /// on 2 threads is slower than on 1 below about 2 x 160^3 flops).
    static let openBLASParallelFlops = 8_000_000.0

    /// `GRAFT_GEMM`, read once.
    static let forced: GEMMBackend? = {
        guard let raw = getenv("GRAFT_GEMM") else { return nil }
        let text = String(cString: raw).lowercased()
        if text == "swift" { return .swift }
        if text == "openblas" { return .openblas }
        if text.isEmpty || text == "auto" { return nil }
        printToStderr("graft: GRAFT_GEMM=\(text) is not one of swift, openblas, auto; ignored")
        return nil
    }()

    /// True when OpenBLAS is loaded and runs AVX-512 kernels (twice the width of the AVX2 kernel).
    static let openBLASHasWiderKernels: Bool = {
        guard let core = OpenBLAS.coreName?.lowercased() else { return false }
        return ["skylakex", "cooperlake", "sapphirerapids"].contains(core)
    }()

    private static let warned = Atomic<Bool>(false)

    static func warnNoOpenBLAS() {
        if !warned.exchange(true, ordering: .relaxed) {
            printToStderr("graft: OpenBLAS was asked for (GRAFT_GEMM=openblas or backend: "
                          + ".openblas) but libopenblas.so.0 was not found; using the Swift SGEMM")
        }
    }

    /// Writes one line to standard error (unbuffered, safe from any thread).
    static func printToStderr(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    /// Threads a product of this size should use: 1 when small, or when called while the
    /// shared pool is already running a parallel region (the pool would run it serially anyway,
    /// and OpenBLAS must not start its own threads there).
    static func threads(m: Int, n: Int, k: Int) -> Int {
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        let pool = ThreadPool.shared
        return flops < parallelFlops || pool.isRunning ? 1 : pool.threadCount
    }

    /// True when cblas_sgemm accepts these sizes and strides (Int32, and leading dimensions
    /// at least the stored row lengths); otherwise the Swift kernel, which accepts any, runs.
    static func blasAccepts(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                            lda: Int, ldb: Int, ldc: Int) -> Bool {
        let limit = Int(Int32.max)
        return max(m, n, k, lda, ldb, ldc) < limit
            && lda >= max(1, transA ? m : k) && ldb >= max(1, transB ? k : n) && ldc >= max(1, n)
    }

    /// C = beta * C (beta == 0 writes zeros).
    static func scale(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if beta == 1 { return }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else {
                for j in 0..<n { row[j] *= beta }
            }
        }
    }

    static func swiftGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int,
                          pool: ThreadPool = .shared, kernel: GEMMKernel = .preferred) {
        if Double(m) * Double(n) * Double(k) <= Double(directLimit) {
            direct(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let kernel = kernel.supported
        let mr = kernel.mr, nr = kernel.nr
        let tilesM = (m + mr - 1) / mr, tilesN = (n + nr - 1) / nr
        let parts = max(1, min(threads, max(tilesM, tilesN)))
        if parts == 1 {
            blocked(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                    a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, kernel: kernel)
            return
        }
        // Split C into `parts` slabs of whole micro-tiles along N or M, whichever gives the
        // cheaper largest slab (compute plus the packing that slab needs; ties: N).
        let slabN = min(n, (tilesN + parts - 1) / parts * nr)
        let slabM = min(m, (tilesM + parts - 1) / parts * mr)
        let costN = blockedCost(transA: transA, transB: transB, m: m, n: slabN, k: k,
                                lda: lda, ldb: ldb, kernel: kernel)
        let costM = blockedCost(transA: transA, transB: transB, m: slabM, n: n, k: k,
                                lda: lda, ldb: ldb, kernel: kernel)
        let splitN = costN <= costM
        let tiles = splitN ? tilesN : tilesM
        let step = splitN ? nr : mr
        let extent = splitN ? n : m
        pool.parallelFor(parts) { t in
            let lo = min(extent, (t * tiles / parts) * step)
            let hi = min(extent, ((t + 1) * tiles / parts) * step)
            if lo >= hi { return }
            if splitN {
                let bOffset = transB ? lo * ldb : lo
                blocked(transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha,
                        a: a, lda: lda, b: b + bOffset, ldb: ldb, beta: beta, c: c + lo, ldc: ldc,
                        kernel: kernel)
            } else {
                let aOffset = transA ? lo : lo * lda
                blocked(transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha,
                        a: a + aOffset, lda: lda, b: b, ldb: ldb, beta: beta,
                        c: c + lo * ldc, ldc: ldc, kernel: kernel)
            }
        }
    }

    /// Splits `total` into ceil(total / limit) nearly equal blocks, rounded up to `unit`.
    @inline(__always)
    static func blockSize(_ total: Int, limit: Int, unit: Int) -> Int {
        let count = (total + limit - 1) / limit
        let size = (total + count - 1) / count
        return min(limit, (size + unit - 1) / unit * unit)
    }

    /// A plain loop for tiny products (m*n*k <= directLimit), where packing costs more than it
    /// saves: each element (8 at a time) is one FMA chain over k, then scaled as the micro-kernel
    /// does.
    static func direct(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let rowStepA = transA ? 1 : lda, colStepA = transA ? lda : 1
        let rowStepB = transB ? 1 : ldb, colStepB = transB ? ldb : 1
        for i in 0..<m {
            let arow = a + i * rowStepA
            let crow = c + i * ldc
            var j = 0
            while j + 8 <= n {
                var acc = SIMD8<Float>()
                for p in 0..<k {
                    let x = SIMD8<Float>(repeating: arow[p * colStepA])
                    let q = b + (p * rowStepB + j * colStepB)
                    let y = transB
                        ? SIMD8<Float>(q[0], q[ldb], q[2 * ldb], q[3 * ldb], q[4 * ldb],
                                       q[5 * ldb], q[6 * ldb], q[7 * ldb])
                        : UnsafeRawPointer(q).loadUnaligned(as: SIMD8<Float>.self)
                    acc = mulAdd(x, y, acc)
                }
                var out = acc * SIMD8<Float>(repeating: alpha)
                let old = UnsafeMutableRawPointer(crow + j)
                if beta != 0 {
                    out = mulAdd(old.loadUnaligned(as: SIMD8<Float>.self), SIMD8<Float>(repeating: beta), out)
                }
                old.storeBytes(of: out, as: SIMD8<Float>.self)
                j += 8
            }
            while j < n {
                var acc: Float = 0
                for p in 0..<k {
                    acc = mulAdd(arow[p * colStepA], b[p * rowStepB + j * colStepB], acc)
                }
                let scaled = alpha * acc
                crow[j] = beta == 0 ? scaled : mulAdd(crow[j], beta, scaled)
                j += 1
            }
        }
    }
}

