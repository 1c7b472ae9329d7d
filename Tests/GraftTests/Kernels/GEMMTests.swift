import Testing
@testable import Graft

/// A row-major matrix stored with row stride `ld` (>= cols); padding holds `pad`.
private struct Stored {
    var rows: Int
    var cols: Int
    var ld: Int
    var data: [Float]

    init(rows: Int, cols: Int, extra: Int, seed: UInt64, pad: Float) {
        self.rows = rows
        self.cols = cols
        ld = cols + extra
        data = [Float](repeating: pad, count: max(1, rows * ld))
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for i in 0..<rows {
            for j in 0..<cols {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                data[i * ld + j] = Float(Int(state % 2001) - 1000) / 1000
            }
        }
    }
}

/// One SGEMM problem with its operands and the Double-accumulated reference result.
private struct Problem {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var alpha: Float, beta: Float
    var a: Stored, b: Stored, c: Stored

    init(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Float = 1,
         beta: Float = 0, extra: Int = 0, seed: UInt64 = 1, cFill: Float? = nil) {
        self.transA = transA; self.transB = transB
        self.m = m; self.n = n; self.k = k
        self.alpha = alpha; self.beta = beta
        // Padding of A and B is NaN: reading it would poison the result.
        a = transA ? Stored(rows: k, cols: m, extra: extra, seed: seed, pad: .nan)
                   : Stored(rows: m, cols: k, extra: extra, seed: seed, pad: .nan)
        b = transB ? Stored(rows: n, cols: k, extra: extra + 1, seed: seed + 1, pad: .nan)
                   : Stored(rows: k, cols: n, extra: extra + 1, seed: seed + 1, pad: .nan)
        // Padding of C is a sentinel that must survive.
        c = Stored(rows: m, cols: n, extra: extra + 2, seed: seed + 2, pad: 777)
        if let cFill {
            for i in 0..<m { for j in 0..<n { c.data[i * c.ld + j] = cFill } }
        }
    }

    func opA(_ i: Int, _ p: Int) -> Double { Double(transA ? a.data[p * a.ld + i] : a.data[i * a.ld + p]) }
    func opB(_ p: Int, _ j: Int) -> Double { Double(transB ? b.data[j * b.ld + p] : b.data[p * b.ld + j]) }

    /// Runs `product` on a copy of C and checks every element against the reference.
    func check(_ label: String, _ product: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var out = c.data
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in product(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) }
            }
        }
        var bad = 0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let x = opA(i, p) * opB(p, j)
                    sum += x
                    magnitude += abs(x)
                }
                let old = Double(c.data[i * c.ld + j])
                let ref = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * old)
                let scale = abs(Double(alpha)) * magnitude + (beta == 0 ? 0 : abs(Double(beta) * old))
                let got = Double(out[i * c.ld + j])
                if !(abs(got - ref) <= 1.2e-7 * Double(k + 2) * scale + 1e-30) { bad += 1 }
            }
            for j in n..<c.ld where out[i * c.ld + j] != 777 { bad += 1 }
        }
        #expect(bad == 0, "\(label): \(bad) wrong elements")
        return out
    }

    /// Checks `sgemm` with the given backend, or the Swift driver on a pool of `threads` with
    /// the given micro-kernel.
    @discardableResult
    func check(backend: GEMMBackend, threads: Int? = nil,
               kernel: GEMMKernel = .preferred) -> [Float] {
        let label = "\(backend) T=\(threads.map(String.init) ?? "-") kernel=\(kernel.name) "
            + "tA=\(transA) tB=\(transB) "
            + "m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) lda=\(a.ld) ldb=\(b.ld) ldc=\(c.ld)"
        return check(label) { pa, pb, pc in
            if let threads {
                GEMMDriver.swiftGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                     a: pa, lda: a.ld, b: pb, ldb: b.ld, beta: beta, c: pc, ldc: c.ld,
                                     threads: threads, pool: testPool(threads), kernel: kernel)
            } else {
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: pa, lda: a.ld,
                      b: pb, ldb: b.ld, beta: beta, c: pc, ldc: c.ld, backend: backend)
            }
        }
    }
}

/// Pools of 1 and 2 threads for the Swift driver (pools live for the whole process, so the
/// tests share two instead of making one per product).
private let testPools = [ThreadPool(threadCount: 1), ThreadPool(threadCount: 2)]
private func testPool(_ threads: Int) -> ThreadPool { testPools[min(threads, 2) - 1] }

/// Shapes that cross every edge: 1, odd sizes, partial 6x16 tiles, the direct-loop limit,
/// the KC (256), MC (120) and NC (3072) block sizes.
private let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (1, 17, 3), (3, 1, 17), (17, 33, 1), (33, 17, 65), (65, 130, 33), (130, 20, 17),
    (6, 16, 16), (17, 17, 17), (16, 16, 16), (12, 32, 257), (13, 40, 300), (7, 3100, 5), (5, 200, 3),
    (128, 100, 64),
]
/// Shapes that cross the AVX-512 kernel's edges: partial 14x32 tiles and 16-column half tiles,
/// its MC (112) block, operands read in place (m <= 64 or n <= 64/128) below and above the
/// 512K-float limit on strided in-place operands, transposed-B panels of 8x8 blocks plus a rest.
private let avx512Shapes: [(Int, Int, Int)] = [
    (14, 32, 9), (15, 33, 31), (13, 16, 260), (28, 47, 8), (29, 65, 100), (113, 50, 40),
    (127, 97, 263), (41, 70, 13), (20, 4100, 130), (600, 20, 900),
]
/// (alpha, beta, extra row padding) combinations, cycled through the shapes.
private let scalings: [(Float, Float, Int)] = [(1, 0, 0), (-1.5, 0.75, 3), (0.5, 1, 1), (2, -1, 0)]
private let transposes = [(false, false), (false, true), (true, false), (true, true)]

/// The micro-kernels this CPU can run (AVX-512 only with AVX-512F).
private let runnableKernels = GEMMKernel.allCases.filter { $0 == .avx2 || GEMMKernel.cpuHasAVX512F }

@Suite("GEMM")
struct GEMMTests {
    private func sweep(backend: GEMMBackend, threads: Int?, kernel: GEMMKernel = .preferred,
                       shapes: [(Int, Int, Int)] = shapes) {
        for (index, (m, n, k)) in shapes.enumerated() {
            for (t, (transA, transB)) in transposes.enumerated() {
                let (alpha, beta, extra) = scalings[(index + t) % scalings.count]
                Problem(transA, transB, m, n, k, alpha: alpha, beta: beta, extra: extra,
                        seed: UInt64(index * 4 + t))
                    .check(backend: backend, threads: threads, kernel: kernel)
            }
        }
    }

    @Test("Swift SGEMM (AVX2 kernel) matches a Double reference on 1 and 2 threads",
          arguments: [1, 2])
    func swiftMatchesReference(threads: Int) {
        sweep(backend: .swift, threads: threads, kernel: .avx2)
        sweep(backend: .swift, threads: threads, kernel: .avx2, shapes: [(33, 40, 270), (7, 130, 300)])
    }

    @Test("AVX-512 kernel matches a Double reference on 1 and 2 threads (needs AVX-512F)",
          .enabled(if: GEMMKernel.cpuHasAVX512F), arguments: [1, 2])
    func avx512MatchesReference(threads: Int) {
        sweep(backend: .swift, threads: threads, kernel: .avx512, shapes: shapes + avx512Shapes)
    }

    @Test("AVX-512 kernel: beta == 0 overwrites NaN and infinity in C (needs AVX-512F)",
          .enabled(if: GEMMKernel.cpuHasAVX512F))
    func avx512BetaZero() {
        for (transA, transB) in transposes {
            for (m, n, k) in [(15, 33, 20), (64, 70, 300), (14, 32, 256)] {
                for threads in [1, 2] {
                    Problem(transA, transB, m, n, k, beta: 0, extra: 1, cFill: .nan)
                        .check(backend: .swift, threads: threads, kernel: .avx512)
                    Problem(transA, transB, m, n, k, alpha: -0.5, beta: 0, cFill: .infinity)
                        .check(backend: .swift, threads: threads, kernel: .avx512)
                }
            }
        }
    }

    @Test("the kernel choice: AVX-512 only with AVX-512F, GRAFT_AVX512=off forces AVX2")
    func kernelChoice() {
        #expect(GEMMKernel.choose(setting: nil, cpuHasAVX512F: true) == .avx512)
        #expect(GEMMKernel.choose(setting: nil, cpuHasAVX512F: false) == .avx2)
        for off in ["off", "OFF", "0", "no", "false"] {
            #expect(GEMMKernel.choose(setting: off, cpuHasAVX512F: true) == .avx2)
        }
        #expect(GEMMKernel.choose(setting: "on", cpuHasAVX512F: true) == .avx512)
        #expect(GEMMKernel.choose(setting: "on", cpuHasAVX512F: false) == .avx2)
        #expect(GEMMKernel.avx512.supported == (GEMMKernel.cpuHasAVX512F ? .avx512 : .avx2))
        #expect(GEMMKernel.preferred == .avx2 || GEMMKernel.cpuHasAVX512F)
        // A portable build (GRAFT_PORTABLE=1) compiles GraftAVX512 as plain SIMD code: not chosen.
        #expect(GEMMKernel.preferred == .avx2 || GEMMKernel.avx512CodeGeneration)
        #expect(gemmSwiftKernelName == GEMMKernel.preferred.name)
        let row = GEMMBenchRow(backend: "swift", n: 8, threads: 1, gflops: 1)
        #expect(row.label == "swift (\(gemmSwiftKernelName))")
    }

    @Test("sgemm(backend: .swift) matches a Double reference")
    func publicSwift() { sweep(backend: .swift, threads: nil) }

    @Test("sgemm(backend: .openblas) matches a Double reference", .enabled(if: OpenBLAS.isAvailable))
    func publicOpenBLAS() { sweep(backend: .openblas, threads: nil) }

    @Test("backend .openblas gives correct results with or without OpenBLAS (fallback: Swift)")
    func openBLASOrFallback() {
        for (transA, transB) in transposes {
            Problem(transA, transB, 37, 45, 29, alpha: 1.5, beta: 0.5, extra: 1).check(backend: .openblas)
        }
    }

    @Test("strides BLAS would reject (lda < row length) are computed by the Swift kernel")
    func unusualStrides() {
        // m = 1: a single row of A, stored with lda = 0.
        let a: [Float] = [1, 2, 3], b: [Float] = [1, 0, 0, 1, 1, 1]
        var c: [Float] = [.nan, .nan]
        for backend in GEMMBackend.allCases {
            sgemm(transA: false, transB: false, m: 1, n: 2, k: 3, alpha: 1, a: a, lda: 0, b: b,
                  ldb: 2, beta: 0, c: &c, ldc: 2, backend: backend)
            #expect(c == [4, 5])
        }
    }

    @Test("beta == 0 overwrites NaN in C; K == 0 and alpha == 0 scale C (default kernel)",
          arguments: GEMMBackend.allCases.filter { $0 == .swift || OpenBLAS.isAvailable })
    func degenerate(backend: GEMMBackend) {
        for (transA, transB) in transposes {
            for (m, n, k) in [(3, 5, 4), (40, 50, 60), (7, 9, 0)] {
                Problem(transA, transB, m, n, k, beta: 0, cFill: .nan).check(backend: backend)
                Problem(transA, transB, m, n, k, alpha: 0.5, beta: 0, extra: 2, cFill: .infinity).check(backend: backend)
            }
            Problem(transA, transB, 6, 7, 0, alpha: 1, beta: 2.5).check(backend: backend)
            Problem(transA, transB, 6, 7, 5, alpha: 0, beta: -1).check(backend: backend)
            Problem(transA, transB, 0, 7, 5).check(backend: backend)
            Problem(transA, transB, 6, 0, 5).check(backend: backend)
        }
    }

    @Test("results are bitwise reproducible; the Swift kernels' do not depend on the thread count",
          arguments: runnableKernels)
    func reproducible(kernel: GEMMKernel) {
        for (transA, transB) in transposes {
            for (m, n, k) in [(67, 131, 301), (130, 40, 90)] {
                let problem = Problem(transA, transB, m, n, k, alpha: 0.7, beta: 0.3, extra: 1)
                let one = problem.check(backend: .swift, threads: 1, kernel: kernel)
                let two = problem.check(backend: .swift, threads: 2, kernel: kernel)
                let again = problem.check(backend: .swift, threads: 2, kernel: kernel)
                let onceMore = problem.check(backend: .swift, threads: 1, kernel: kernel)
                #expect(one == two && two == again && one == onceMore)
            }
        }
    }

    @Test("results are bitwise reproducible through sgemm")
    func reproduciblePublic() {
        for (transA, transB) in transposes {
            let problem = Problem(transA, transB, 67, 131, 301, alpha: 0.7, beta: 0.3, extra: 1)
            let one = problem.check(backend: .swift, threads: 1)
            #expect(problem.check(backend: .swift) == one)
            if OpenBLAS.isAvailable {
                let first = problem.check(backend: .openblas)
                #expect(problem.check(backend: .openblas) == first)
            }
        }
    }

    @Test("the default backend is usable and forced choices are honoured")
    func defaultBackend() {
        let choice = gemmDefaultBackend(transA: false, transB: false, m: 512, n: 512, k: 512)
        #expect(GEMMBackend.allCases.contains(choice))
        if !OpenBLAS.isAvailable && GEMMDriver.forced == nil { #expect(choice == .swift) }
        _ = Problem(false, true, 64, 500, 32, alpha: 1, beta: 0.5).check("default") { pa, pb, pc in
            sgemm(transA: false, transB: true, m: 64, n: 500, k: 32, alpha: 1, a: pa, lda: 32,
                  b: pb, ldb: 33, beta: 0.5, c: pc, ldc: 502)
        }
    }

    @Test("the benchmark returns one row per backend, size and thread count")
    func benchmarkRows() {
        let backends = GEMMBackend.allCases.filter { $0 == .swift || OpenBLAS.isAvailable }
        let rows = GEMMBenchmark.run(ns: [24], threadCounts: [1], backends: GEMMBackend.allCases, rounds: 1,
                                      waitForQuiet: false)
        #expect(rows.count == backends.count)
        #expect(rows.allSatisfy { $0.n == 24 && $0.threads == 1 && $0.gflops >= 0 })
    }
}
