// Transitional: the string-named curve API, while the labs move to `CurveHandle`. Removed
// once no lab calls it.

extension LabContext {
    /// Adds the point (x, y) to `series` of the curve named `curve`.
    @available(*, deprecated, message: "make a CurveHandle with curve(_:x:y:)")
    public func log(_ curve: String, series: String = "", x: Double, y: Double, xLabel: String = "step", yLabel: String = "") {
        log(self.curve(curve, x: xLabel, y: yLabel.isEmpty ? curve : yLabel), series: series, x: x, y: y)
    }
}

extension LoopStep {
    /// Adds the point (x, y) to `series` of the curve named `curve`.
    @available(*, deprecated, message: "make a CurveHandle with LabContext.curve(_:x:y:)")
    public func log(_ curve: String, series: String = "", x: Double, y: Double, xLabel: String = "step", yLabel: String = "") {
        log(CurveHandle(name: curve, xLabel: xLabel, yLabel: yLabel.isEmpty ? curve : yLabel), series: series, x: x, y: y)
    }
}

extension Figure {
    /// The curve named `name` as a line chart.
    @available(*, deprecated, message: "pass the CurveHandle")
    public static func curve(_ name: String, caption: String, logY: Bool = false) -> Figure {
        .curveNamed(name, caption: caption, logY: logY)
    }
}
