#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// OpenBLAS, found at run time with `dlopen` (no build-time dependency): Graft works without it
/// and uses it, when installed, wherever it is faster than the Swift kernels.
///
/// Threads: OpenBLAS keeps its own worker threads, which spin for a long time after each call
/// (2^28 cycles by default) and then slow down Graft's own pool (SWIFT-NOTES: a 2-thread Swift
/// GEMM fell from 150 to 24 GFLOP/s right after 2-thread OpenBLAS calls). So `sgemm` sets
/// OpenBLAS's thread count for every call (`setThreads`, cached): 1 below 8 Mflop (OpenBLAS
/// 0.3.21 on 2 threads was slower than on 1 there) and inside a parallel region of Graft's pool,
/// else `ThreadPool.shared.threadCount`. Unless the user set `OPENBLAS_THREAD_TIMEOUT`, its
/// workers are told to spin only 2^16 cycles (about 20 us) before they sleep; this did not
/// lower OpenBLAS's own back-to-back throughput.
///
/// `GRAFT_OPENBLAS=off` (or 0/no/false) keeps OpenBLAS unloaded, as if it were not installed.
///
/// CPU detection: OpenBLAS builds with DYNAMIC_ARCH (Debian's) pick their kernels from the CPU
/// model and fall back to the SSE3 "Prescott" kernels on CPUs newer than the library (OpenBLAS
/// 0.3.21 on a recent Xeon: 33 instead of 150 GFLOP/s on one core). When the library reports a
/// pre-AVX2 core on a CPU with AVX2 and FMA, and the user has not set `OPENBLAS_CORETYPE`, it is
/// loaded again with `OPENBLAS_CORETYPE` set to the best core the CPU supports ("SkylakeX" with
/// AVX-512, else "Haswell"). `OpenBLAS.coreName` reports the kernels in use.
public enum OpenBLAS {
    /// True when an OpenBLAS library with `cblas_sgemm` was found.
    public static var isAvailable: Bool { library != nil }

    /// The kernel family OpenBLAS uses on this CPU (e.g. "Haswell", "SkylakeX"), if loaded.
    public static var coreName: String? { library?.coreName }

    /// The path or name the library was loaded from, if loaded.
    public static var libraryName: String? { library?.name }

    private typealias SgemmFunction = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float,
        UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float,
        UnsafeMutablePointer<Float>?, Int32
    ) -> Void
    private typealias SetThreadsFunction = @convention(c) (Int32) -> Void
    private typealias CoreNameFunction = @convention(c) () -> UnsafeMutablePointer<CChar>?

    private struct Library: @unchecked Sendable {
        let name: String
        let handle: UnsafeMutableRawPointer
        let sgemm: SgemmFunction
        let setThreads: SetThreadsFunction
        let coreName: String?
    }

    /// Candidate names, in order. `libblas.so.3` is accepted only if it is OpenBLAS (it exports
    /// `openblas_set_num_threads`), since a reference BLAS would be slower than the Swift kernel.
    private static let candidates = [
        "libopenblas.so.0",
        "libopenblas.so",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
        "libblas.so.3",
    ]

    private static let library: Library? = load()

    /// OpenBLAS's current thread count, as last set by Graft (0 = not set yet).
    private static let currentThreads = Atomic<Int>(0)

    private static func load() -> Library? {
        if let raw = getenv("GRAFT_OPENBLAS"),
           ["0", "off", "no", "false"].contains(String(cString: raw).lowercased()) {
            return nil
        }
        if getenv("OPENBLAS_THREAD_TIMEOUT") == nil {
            setenv("OPENBLAS_THREAD_TIMEOUT", "16", 0)
        }
        guard let first = open() else { return nil }
        if getenv("OPENBLAS_CORETYPE") == nil, let better = betterCoreType(than: first.coreName) {
            // Reload with the right kernels; keep the first load if the library cannot be
            // unloaded (something else in the process holds it) or the reload fails.
            dlclose(first.handle)
            setenv("OPENBLAS_CORETYPE", better, 0)
            if let second = open() { return second }
            unsetenv("OPENBLAS_CORETYPE")
            return open()
        }
        return first
    }

    private static func open() -> Library? {
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let sgemm = dlsym(handle, "cblas_sgemm"),
                  let setThreads = dlsym(handle, "openblas_set_num_threads") else {
                dlclose(handle)
                continue
            }
            var core: String?
            if let symbol = dlsym(handle, "openblas_get_corename") {
                let function = unsafeBitCast(symbol, to: CoreNameFunction.self)
                if let text = function() { core = String(cString: text) }
            }
            return Library(name: name, handle: handle,
                           sgemm: unsafeBitCast(sgemm, to: SgemmFunction.self),
                           setThreads: unsafeBitCast(setThreads, to: SetThreadsFunction.self),
                           coreName: core)
        }
        return nil
    }

    /// The core type to force when OpenBLAS chose kernels older than the CPU (nil otherwise).
    private static func betterCoreType(than core: String?) -> String? {
        guard let core = core?.lowercased() else { return nil }
        let legacy: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem",
                                   "atom", "katmai", "coppermine", "northwood", "banias",
                                   "unknown", "sandybridge", "opteron", "barcelona"]
        guard legacy.contains(core) else { return nil }
        let flags = cpuFlags()
        let avx512: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        if avx512.isSubset(of: flags) { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The CPU feature flags from /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("flags") || text.hasPrefix("Features") {
                guard let colon = text.firstIndex(of: ":") else { continue }
                return Set(text[text.index(after: colon)...].split(whereSeparator: \.isWhitespace)
                    .map(String.init))
            }
        }
        return []
    }

    /// Sets OpenBLAS's thread count (cached: only calls into the library when it changes).
    static func setThreads(_ count: Int) {
        guard let library else { return }
        let count = max(1, count)
        if currentThreads.exchange(count, ordering: .relaxed) != count {
            library.setThreads(Int32(count))
        }
    }

    /// `cblas_sgemm` in row-major order on `threads` OpenBLAS threads. Returns false (and does
    /// nothing) when OpenBLAS is not available. Sizes must fit in Int32.
    @discardableResult
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                             threads: Int) -> Bool {
        guard let library else { return false }
        setThreads(threads)
        let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112
        library.sgemm(rowMajor, transA ? trans : noTrans, transB ? trans : noTrans,
                      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                      beta, c, Int32(ldc))
        return true
    }
}
