#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One measured row of the GEMM benchmark.
public struct GEMMBenchRow: Sendable, Codable {
    /// "swift" or "openblas".
    public var backend: String
    /// The matrix size (n x n x n).
    public var n: Int
    /// Threads used.
    public var threads: Int
    /// Measured throughput.
    public var gflops: Double

    /// `backend`, with the Swift kernel in use for "swift" (e.g. "swift (avx512)") for tables;
    /// not encoded (JSON rows keep `backend`).
    public var label: String { backend == GEMMBackend.swift.rawValue ? "swift (\(gemmSwiftKernelName))" : backend }

    /// A measured row.
    public init(backend: String, n: Int, threads: Int, gflops: Double) {
        self.backend = backend
        self.n = n
        self.threads = threads
        self.gflops = gflops
    }
}

/// Times square n x n x n SGEMMs for each backend available, n in ns, threads in threadCounts:
/// the best of 5 timed repetitions (each about 0.15 s) after a warm-up, with the backends
/// alternated within each round. The machine may be shared: a repetition during which other
/// processes used more than 10% of a CPU (from /proc/stat, less this process's own CPU time) is
/// dropped and retried (up to 20 tries), after waiting (at most 10 s) for a quiet moment.
public enum GEMMBenchmark {
    /// `rounds` timed repetitions per row; `waitForQuiet: false` skips the waits and the
    /// rejection of disturbed repetitions (for tests).
    public static func run(ns: [Int], threadCounts: [Int], backends: [GEMMBackend],
                           rounds: Int = 5, waitForQuiet: Bool = true) -> [GEMMBenchRow] {
        let usable = backends.filter { $0 == .swift || OpenBLAS.isAvailable }
        var rows: [GEMMBenchRow] = []
        for n in ns where n > 0 {
            for threads in threadCounts where threads > 0 {
                let best = compare(m: n, n: n, k: n, transA: false, transB: false,
                                   threads: threads, backends: usable, rounds: rounds,
                                   waitForQuiet: waitForQuiet)
                for (index, backend) in usable.enumerated() {
                    rows.append(GEMMBenchRow(backend: backend.rawValue, n: n, threads: threads,
                                             gflops: best[index]))
                }
            }
        }
        return rows
    }

    /// Best GFLOP/s of each backend (same order as `backends`) for one shape of
    /// C[m,n] = op(A) op(B) (beta 0) on `threads` threads; 0 where no clean repetition was had.
    public static func compare(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, threads: Int,
                               backends: [GEMMBackend], rounds: Int = 5,
                               waitForQuiet: Bool = true) -> [Double] {
        let pool = ThreadPool.shared
        let saved = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = saved }
        let lda = transA ? m : k, ldb = transB ? k : n
        let a = randomBuffer(m * k), b = randomBuffer(k * n), c = randomBuffer(m * n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let product = {
            (backend: GEMMBackend) in
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda,
                  b: b, ldb: ldb, beta: 0, c: c, ldc: n, backend: backend)
        }
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        // Warm up and size a repetition to about 0.15 s (0.01 s without quiet checks).
        var inner: [Int] = []
        for backend in backends {
            var count = 0
            let start = seconds()
            while count < 3 || seconds() - start < 0.05 {
                product(backend)
                count += 1
            }
            let each = (seconds() - start) / Double(count)
            inner.append(max(1, Int((waitForQuiet ? 0.15 : 0.01) / max(each, 1e-9))))
        }
        var best = [Double](repeating: 0, count: backends.count)
        var clean = [Int](repeating: 0, count: backends.count)
        var tries = 0
        while clean.min() ?? rounds < rounds && tries < 4 * rounds {
            tries += 1
            for (index, backend) in backends.enumerated() where clean[index] < rounds {
                if waitForQuiet { waitQuiet() }
                let busy0 = busySeconds(), own0 = ownSeconds(), start = seconds()
                for _ in 0..<inner[index] { product(backend) }
                let elapsed = seconds() - start
                let foreign = (busySeconds() - busy0) - (ownSeconds() - own0)
                if waitForQuiet && foreign > 0.1 * elapsed + 0.02 { continue }
                clean[index] += 1
                best[index] = max(best[index], flops * Double(inner[index]) / elapsed / 1e9)
            }
        }
        return best
    }

    private static func randomBuffer(_ count: Int) -> UnsafeMutablePointer<Float> {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        var state: UInt32 = 0x9E37_79B9
        for i in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            buffer[i] = Float(state >> 8) / Float(1 << 24) - 0.5
        }
        return buffer
    }

    private static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// CPU seconds all processors spent busy since boot (/proc/stat; 0 where unreadable).
    private static func busySeconds() -> Double {
        guard let file = fopen("/proc/stat", "r") else { return 0 }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return 0 }
        let line = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return 0 }
        let ticks = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds this process has used (all threads).
    private static func ownSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Waits (at most 10 s) until other processes use less than 5% of a CPU over 0.2 s.
    private static func waitQuiet() {
        var waited = 0.0
        while waited < 10 {
            let busy0 = busySeconds(), own0 = ownSeconds()
            usleep(200_000)
            let foreign = (busySeconds() - busy0) - (ownSeconds() - own0)
            if foreign <= 0.05 * 0.2 + 0.011 { return }
            waited += 0.2
        }
    }
}
