#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C (SIGINT). During a training loop it is a flag that the loop polls at step boundaries,
/// so that the lab stops between steps, writes its checkpoint and exits cleanly. Outside every
/// loop (loading data, evaluating) there is nothing unsaved: each loop writes the checkpoint
/// when it finishes, so Ctrl-C exits at once (status 130) and `--resume` continues from that
/// checkpoint. A second Ctrl-C always exits at once.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)
    private static let activeLoops = Atomic<Int>(0)

    /// Installs the handler (once per process).
    public static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) || Interrupt.activeLoops.load(ordering: .relaxed) == 0 {
                Interrupt.exitNow()
            }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
    }

    /// Exits with status 130 from the signal handler, saying why (write(2) is async-signal-safe).
    private static func exitNow() -> Never {
        let message = "\ninterrupted; the checkpoint written when the last training loop finished is kept (run again with --resume)\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        _exit(130)
    }

    /// Whether Ctrl-C was pressed since the last `reset`.
    public static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Sets the flag as Ctrl-C would (tests simulate an interruption this way).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears the flag.
    public static func reset() { flag.store(false, ordering: .relaxed) }

    /// Runs `body` as a training loop: Ctrl-C meanwhile sets the flag instead of exiting.
    static func duringLoop<T>(_ body: () throws -> T) rethrows -> T {
        activeLoops.add(1, ordering: .relaxed)
        defer { activeLoops.subtract(1, ordering: .relaxed) }
        return try body()
    }
}
