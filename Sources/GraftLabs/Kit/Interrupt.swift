#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C (SIGINT) as a flag that training loops poll at step boundaries, so that a lab
/// stops between steps, writes its checkpoint and exits cleanly. A second Ctrl-C exits at once.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Installs the handler (once per process).
    public static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) { _exit(130) }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
    }

    /// Whether Ctrl-C was pressed since the last `reset`.
    public static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Sets the flag as Ctrl-C would (tests simulate an interruption this way).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears the flag.
    public static func reset() { flag.store(false, ordering: .relaxed) }
}
