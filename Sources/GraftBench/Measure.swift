import Foundation

/// Timing that rejects repetitions disturbed by other processes, the same protocol as the
/// PyTorch reference (../shared/perf/benchutil.py): warm up, calibrate the number of steps
/// per repetition, wait for a quiet machine, and drop repetitions during which other
/// processes used noticeable CPU (from /proc/stat minus this process's own CPU time).
public enum Measure {
    /// One benchmark's result, per step.
    public struct Result: Sendable {
        /// Median and minimum seconds per step over the clean repetitions.
        public var median: Double, min: Double
        /// Clean repetitions, dropped repetitions, and steps per repetition.
        public var clean: Int, dropped: Int, inner: Int
    }

    /// CPU seconds used by everything on the machine (user, nice, system, irq, softirq, steal).
    static func machineBusy() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first else { return 0 }
        let v = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        guard v.count == 8 else { return 0 }
        return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / 100
    }

    /// CPU seconds used by this process.
    static func ownCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Waits until other processes use less than `fraction` of one CPU over 0.3 s (at most `maxSeconds`).
    static func waitQuiet(fraction: Double = 0.05, maxSeconds: Double = 120) {
        var waited = 0.0
        while waited < maxSeconds {
            let b0 = machineBusy(), o0 = ownCPU()
            usleep(300_000)
            let b1 = machineBusy(), o1 = ownCPU()
            if (b1 - b0) - (o1 - o0) <= fraction * 0.3 + 0.011 { return }
            waited += 0.3
        }
    }

    /// Times `step`: `reps` clean repetitions of about `targetSeconds` each.
    public static func time(targetSeconds: Double = 0.5, reps: Int = 5, warmupSeconds: Double = 0.3,
                            maxTries: Int = 40, quiet: Bool = true, _ step: () -> Void) -> Result {
        var t0 = now(), n = 0
        while now() - t0 < warmupSeconds || n < 3 { step(); n += 1 }
        let per = (now() - t0) / Double(n)
        let inner = max(1, Int(targetSeconds / per))
        var times: [Double] = []
        var dropped = 0, tries = 0
        while times.count < reps && tries < maxTries {
            tries += 1
            if quiet { waitQuiet() }
            let b0 = machineBusy(), o0 = ownCPU()
            t0 = now()
            for _ in 0..<inner { step() }
            let elapsed = now() - t0
            let foreign = (machineBusy() - b0) - (ownCPU() - o0)
            if quiet && foreign > 0.10 * elapsed + 0.02 { dropped += 1; continue }
            times.append(elapsed / Double(inner))
        }
        let sorted = times.sorted()
        let median = sorted.isEmpty ? .nan
            : (sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2)
        return Result(median: median, min: sorted.first ?? .nan, clean: times.count, dropped: dropped, inner: inner)
    }
}
