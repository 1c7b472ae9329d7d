/// What a training loop wrote into the run's record, in order: replayed when a resumed run
/// reaches the loop again, so that the record ends as in an uninterrupted run.
enum RecordEntry: Codable, Equatable {
    /// A point of a curve (`LabContext.log`).
    case point(curve: String, series: String, x: Double, y: Double, xLabel: String, yLabel: String)
    /// A headline figure (`LabContext.metric`).
    case headline(Headline)
    /// A lab state value (`LabContext[state:]`).
    case state(key: String, value: Double)

    /// Applies the entry to `record`.
    func apply(to record: inout RunRecord) {
        switch self {
        case let .point(curve, series, x, y, xLabel, yLabel):
            record.addPoint(curve: curve, series: series, x: x, y: y, xLabel: xLabel, yLabel: yLabel)
        case let .headline(h): record.set(h)
        case let .state(key, value): record.state[key] = value
        }
    }
}

extension RunRecord {
    /// Adds the point (x, y) to `series` of the curve `curve`, creating either as needed.
    mutating func addPoint(curve: String, series: String, x: Double, y: Double, xLabel: String, yLabel: String) {
        if let i = curves.firstIndex(where: { $0.name == curve }) {
            if curves[i].series[series] == nil { curves[i].order.append(series) }
            curves[i].series[series, default: []].append([x, y])
        } else {
            curves.append(Curve(name: curve, xLabel: xLabel, yLabel: yLabel.isEmpty ? curve : yLabel,
                                series: [series: [[x, y]]], order: [series]))
        }
    }

    /// Records `headline`, replacing one of the same name.
    mutating func set(_ headline: Headline) {
        if let i = metrics.firstIndex(where: { $0.name == headline.name }) { metrics[i] = headline } else { metrics.append(headline) }
    }
}
