#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether operations record the graph that `backward()` walks.
///
/// Like PyTorch's grad mode, the switch is per thread: a model evaluated under `noGrad` on
/// one thread does not change what another thread records.
public enum GradMode {
    /// One flag per thread, created on first use.
    final class Flag { var enabled = true }

    static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { ptr in Unmanaged<Flag>.fromOpaque(ptr!).release() }
        return k
    }()

    /// This thread's flag.
    @inline(__always)
    static var flag: Flag {
        if let p = pthread_getspecific(key) { return Unmanaged<Flag>.fromOpaque(p).takeUnretainedValue() }
        let f = Flag()
        pthread_setspecific(key, Unmanaged.passRetained(f).toOpaque())
        return f
    }

    /// True when new operations on tensors that require gradients are recorded (this thread).
    public static var isEnabled: Bool { flag.enabled }

    /// Runs `body` with recording switched to `enabled`, restoring the previous state after.
    public static func with<T>(enabled: Bool, _ body: () throws -> T) rethrows -> T {
        let f = flag
        let saved = f.enabled
        f.enabled = enabled
        defer { f.enabled = saved }
        return try body()
    }
}

/// Runs `body` without recording operations (evaluation, sampling, parameter updates),
/// like `torch.no_grad()`.
public func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.with(enabled: false, body)
}

/// Runs `body` with recording on, even inside `noGrad`.
public func enableGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.with(enabled: true, body)
}
