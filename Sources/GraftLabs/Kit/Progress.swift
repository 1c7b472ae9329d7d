import Foundation

/// A progress bar with an estimate of the time left: redrawn in place on a terminal, one
/// line per tenth of the work otherwise (logs, CI).
public enum Progress {
    /// Whether standard error is a terminal.
    public static let interactive = isatty(2) == 1

    nonisolated(unsafe) static var lastDraw = Date.distantPast

    /// Shows progress after `step` of `total` steps (at most ten redraws a second).
    public static func bar(step: Int, of total: Int, started: Date, note: @autoclosure () -> String) {
        let tenth = max(1, total / 10)
        if !interactive && step % tenth != 0 && step != total { return }
        if interactive && step != total && Date().timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = Date()
        let note = note()
        let width = 30
        let done = Int(Double(width) * Double(step) / Double(total))
        let elapsed = Date().timeIntervalSince(started)
        let eta = elapsed / Double(step) * Double(total - step)
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        let line = "[\(bar)] \(step)/\(total)  \(note)  eta \(String(format: "%.1f", eta))s"
        let text = interactive ? "\r" + line + (step == total ? "\n" : "   ") : line + "\n"
        FileHandle.standardError.write(text.data(using: .utf8)!)
    }
}
