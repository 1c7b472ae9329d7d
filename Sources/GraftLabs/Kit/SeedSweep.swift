import GraftMetrics

/// The methods a lab compares, as a type (`enum Method: String, LabMethod`): each case's raw
/// value is its name in the report, and `paper` the value the paper reports for it.
protocol LabMethod: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The paper's value of the lab's headline figure for this method, when it reports one.
    var paper: Double? { get }
}

extension LabMethod {
    /// Every method, in declaration order (the report's order).
    static var all: [Self] { Array(allCases) }
}

/// What every method of a lab measured for every seed: the runs of a seed sweep, and the
/// headline figures made from them (the mean over seeds, ± the sample standard deviation,
/// against the paper's value).
struct SeedSweep<Method: LabMethod, Outcome> {
    /// The seeds, in the order they ran.
    let seeds: [UInt64]
    /// Each method's outcomes, one per seed in `seeds` order.
    private(set) var outcomes: [Method: [Outcome]] = [:]

    /// Runs `body(method, seed, index of the seed)` for each seed and, within it, each of
    /// `methods`, in that order, and keeps the outcomes.
    static func run(seeds: [UInt64], methods: [Method] = Method.all,
                    _ body: (Method, UInt64, Int) throws -> Outcome) rethrows -> SeedSweep {
        var sweep = SeedSweep(seeds: seeds)
        for (k, seed) in seeds.enumerated() {
            for method in methods { sweep.outcomes[method, default: []].append(try body(method, seed, k)) }
        }
        return sweep
    }

    /// The outcomes of `method`, one per seed (empty when it did not run).
    subscript(method: Method) -> [Outcome] { outcomes[method] ?? [] }

    /// `measure` of each of `method`'s runs.
    func values(_ method: Method, _ measure: (Outcome) -> Double?) -> [Double] { self[method].compactMap(measure) }

    /// The mean over seeds of `measure` for `method`.
    func mean(_ method: Method, _ measure: (Outcome) -> Double?) -> Double { Statistics.mean(values(method, measure)) }

    /// The mean and sample standard deviation over seeds of `measure` for `method`.
    func meanStd(_ method: Method, _ measure: (Outcome) -> Double?) -> (mean: Double, std: Double) {
        Statistics.meanStd(values(method, measure))
    }

    /// "N seed(s)".
    var seedCount: String { "\(seeds.count) seed\(seeds.count == 1 ? "" : "s")" }

    /// Records, for each of `methods`, "<method> <name>": the mean over seeds of `measure`,
    /// with `paper(method)` as the paper's value and a note that gives `detail` and the spread
    /// (± the sample standard deviation over the seeds). With `recordStd`, the spread is also
    /// recorded as "<method> <name> std".
    func record(_ name: String, unit: String, of measure: (Outcome) -> Double?, methods: [Method] = Method.all,
                paper: (Method) -> Double? = { $0.paper }, detail: String? = nil, recordStd: Bool = false, in context: LabContext) {
        for method in methods {
            let (mean, std) = meanStd(method, measure)
            let spread = "± " + String(format: "%.2f", std) + " over " + seedCount
            context.metric("\(method.rawValue) \(name)", mean, unit: unit, paper: paper(method),
                           note: detail.map { "\($0); \(spread)" } ?? spread)
            if recordStd { context.metric("\(method.rawValue) \(name) std", std, unit: unit) }
        }
    }
}
