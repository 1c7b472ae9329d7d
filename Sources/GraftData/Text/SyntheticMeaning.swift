import Graft

/// The meaning of one simple transitive sentence: who (agent) does what (action) to whom
/// (patient), each noun singular or plural and optionally qualified by an adjective, in the
/// present or the past. Concepts are indices into a `MeaningSpace`'s nouns, verbs and adjectives.
public struct Meaning: Hashable, Sendable, Codable {
    /// The agent noun.
    public var agent: Int
    /// The action verb.
    public var action: Int
    /// The patient noun.
    public var patient: Int
    /// Whether there are several agents.
    public var agentPlural: Bool
    /// Whether there are several patients.
    public var patientPlural: Bool
    /// The adjective qualifying the agent, if any.
    public var agentAdjective: Int?
    /// The adjective qualifying the patient, if any.
    public var patientAdjective: Int?
    /// Whether the action is in the past.
    public var past: Bool

    /// A meaning from its parts.
    public init(agent: Int, action: Int, patient: Int, agentPlural: Bool = false, patientPlural: Bool = false,
                agentAdjective: Int? = nil, patientAdjective: Int? = nil, past: Bool = false) {
        self.agent = agent; self.action = action; self.patient = patient
        self.agentPlural = agentPlural; self.patientPlural = patientPlural
        self.agentAdjective = agentAdjective; self.patientAdjective = patientAdjective
        self.past = past
    }
}

/// The set of meanings over `nouns` nouns, `verbs` verbs and `adjectives` adjectives, numbered
/// 0..<count so that a split into training and held-out meanings is a split of indices.
public struct MeaningSpace: Sendable, Equatable, Codable {
    /// Number of nouns.
    public let nouns: Int
    /// Number of verbs.
    public let verbs: Int
    /// Number of adjectives.
    public let adjectives: Int

    /// A space with at least one noun and one verb (adjectives may be 0).
    public init(nouns: Int, verbs: Int, adjectives: Int) {
        precondition(nouns >= 1 && verbs >= 1 && adjectives >= 0, "MeaningSpace needs nouns >= 1, verbs >= 1, adjectives >= 0")
        self.nouns = nouns; self.verbs = verbs; self.adjectives = adjectives
    }

    /// The number of distinct meanings: nouns² · verbs · 2 (numbers) · 2 · (adjectives + 1)² · 2 (tenses).
    public var count: Int { nouns * nouns * verbs * 8 * (adjectives + 1) * (adjectives + 1) }

    /// The meaning numbered `index` (0..<count), a bijection.
    public func meaning(at index: Int) -> Meaning {
        precondition(index >= 0 && index < count, "meaning index \(index) is outside 0..<\(count)")
        var i = index
        func take(_ n: Int) -> Int { defer { i /= n }; return i % n }
        let agent = take(nouns), patient = take(nouns), action = take(verbs)
        let agentPlural = take(2) == 1, patientPlural = take(2) == 1, past = take(2) == 1
        let aa = take(adjectives + 1), pa = take(adjectives + 1)
        return Meaning(agent: agent, action: action, patient: patient, agentPlural: agentPlural, patientPlural: patientPlural,
                       agentAdjective: aa == 0 ? nil : aa - 1, patientAdjective: pa == 0 ? nil : pa - 1, past: past)
    }

    /// The number of `meaning` (the inverse of `meaning(at:)`); nil when it is outside the space.
    public func index(of m: Meaning) -> Int? {
        guard (0..<nouns).contains(m.agent), (0..<nouns).contains(m.patient), (0..<verbs).contains(m.action),
              m.agentAdjective.map({ (0..<adjectives).contains($0) }) ?? true,
              m.patientAdjective.map({ (0..<adjectives).contains($0) }) ?? true else { return nil }
        let digits = [(m.agent, nouns), (m.patient, nouns), (m.action, verbs), (m.agentPlural ? 1 : 0, 2), (m.patientPlural ? 1 : 0, 2),
                      (m.past ? 1 : 0, 2), ((m.agentAdjective ?? -1) + 1, adjectives + 1), ((m.patientAdjective ?? -1) + 1, adjectives + 1)]
        var index = 0, scale = 1
        for (d, n) in digits { index += d * scale; scale *= n }
        return index
    }

    /// A meaning drawn uniformly from the space.
    public func sample(_ generator: RandomGenerator) -> Meaning { meaning(at: generator.nextInt(below: count)) }
}
