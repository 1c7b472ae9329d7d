/// How varied a generator's outputs are, the numbers the course uses to show that maximum
/// likelihood gives generic answers ("I don't know") and that RL and GANs give longer, less
/// generic ones (Li et al. 2016, "A diversity-promoting objective function for neural
/// conversation models": distinct-n; Li et al. 2017 for response length).
public struct ResponseDiversity: Sendable, Equatable {
    /// distinct-1 and distinct-2: distinct unigrams (bigrams) over all unigrams (bigrams) of all responses.
    public let distinct1: Double, distinct2: Double
    /// The mean response length in tokens.
    public let meanLength: Double
    /// The share of responses equal to the most frequent one.
    public let topResponseShare: Double
    /// The most frequent responses with their counts, most frequent first (ties in first-seen order).
    public let mostCommon: [(response: [String], count: Int)]

    /// The diversity of `responses` (token lists), keeping the `top` most common.
    public init(_ responses: [[String]], top: Int = 5) throws {
        guard !responses.isEmpty else { throw MetricError("ResponseDiversity needs at least one response") }
        self.distinct1 = Self.distinct(responses, n: 1)
        self.distinct2 = Self.distinct(responses, n: 2)
        meanLength = Double(responses.reduce(0) { $0 + $1.count }) / Double(responses.count)
        var counts: [[String]: Int] = [:], order: [[String]] = []
        for r in responses {
            if counts[r] == nil { order.append(r) }
            counts[r, default: 0] += 1
        }
        let ranked = order.enumerated().sorted { a, b in
            let ca = counts[a.element]!, cb = counts[b.element]!
            return ca != cb ? ca > cb : a.offset < b.offset
        }
        mostCommon = ranked.prefix(max(top, 1)).map { ($0.element, counts[$0.element]!) }
        topResponseShare = Double(mostCommon[0].count) / Double(responses.count)
    }

    /// Distinct n-grams over all n-grams of `responses` (0 when there are none).
    public static func distinct(_ responses: [[String]], n: Int) -> Double {
        var seen = Set<ArraySlice<String>>(), total = 0
        for r in responses where r.count >= n {
            for i in 0...(r.count - n) {
                seen.insert(r[i..<(i + n)])
                total += 1
            }
        }
        return total == 0 ? 0 : Double(seen.count) / Double(total)
    }

    /// Equal when every number and the ranked responses agree.
    public static func == (a: ResponseDiversity, b: ResponseDiversity) -> Bool {
        a.distinct1 == b.distinct1 && a.distinct2 == b.distinct2 && a.meanLength == b.meanLength
            && a.topResponseShare == b.topResponseShare
            && a.mostCommon.map(\.response) == b.mostCommon.map(\.response) && a.mostCommon.map(\.count) == b.mostCommon.map(\.count)
    }
}
