/// One curve of a run's record, named once: a lab makes it with `LabContext.curve(_:x:y:)`,
/// logs points through it and puts it in the report with `Figure.curve`, so that a misspelt
/// curve name is a compile error rather than a failure at the end of a long run.
public struct CurveHandle: Sendable, Hashable {
    /// The curve's title.
    public let name: String
    /// What the x axis counts.
    public let xLabel: String
    /// What the y axis measures.
    public let yLabel: String
}

extension LabContext {
    /// The handle of the curve `name`, whose x axis counts `x` and whose y axis measures `y`.
    public func curve(_ name: String, x: String, y: String) -> CurveHandle {
        CurveHandle(name: name, xLabel: x, yLabel: y)
    }

    /// Adds the point (x, y) to `series` of `curve`. Inside a training loop, log through the
    /// step (`LoopStep.log`) so that a resumed run replays the point.
    public func log(_ curve: CurveHandle, series: String = "", x: Double, y: Double) {
        apply(.point(curve: curve.name, series: series, x: x, y: y, xLabel: curve.xLabel, yLabel: curve.yLabel))
    }
}

extension LoopStep {
    /// Adds the point (x, y) to `series` of `curve` (as `LabContext.log`), replayed on resume.
    public func log(_ curve: CurveHandle, series: String = "", x: Double, y: Double) {
        write(.point(curve: curve.name, series: series, x: x, y: y, xLabel: curve.xLabel, yLabel: curve.yLabel))
    }
}
