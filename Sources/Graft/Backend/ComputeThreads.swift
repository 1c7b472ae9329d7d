/// How many threads Graft's kernels use: the public face of the CPU backend's thread pool.
///
/// The count applies to every tensor op run from then on (`count = n` for the process), or to
/// the ops run inside `with(_:_:)` on the calling thread only (tests, parallel seed runs that
/// want one thread each). The default is the `GRAFT_THREADS` environment variable if set, else
/// the number of active processors. For a fixed count, results are bitwise reproducible.
public enum ComputeThreads {
    /// The number of threads the kernels called from this thread use (at least 1). Setting it
    /// changes the process-wide count; set it between ops, from the main thread.
    public static var count: Int {
        get { ThreadPool.shared.threadCount }
        set { ThreadPool.shared.threadCount = newValue }
    }

    /// Runs `body` with the ops it calls on this thread using `n` threads (at least 1), without
    /// changing what other threads use, and returns its result.
    public static func with<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        try ThreadPool.shared.withThreadCount(n, body)
    }
}
