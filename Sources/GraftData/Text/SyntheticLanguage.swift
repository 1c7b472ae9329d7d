import Graft

/// The order of subject (agent), verb and object (patient) in a sentence.
public enum WordOrder: String, Sendable, CaseIterable, Codable {
    /// Subject, verb, object (English).
    case svo
    /// Subject, object, verb (Japanese, Turkish).
    case sov
    /// Verb, subject, object (Irish, Classical Arabic).
    case vso
    /// Verb, object, subject (Malagasy).
    case vos
    /// Object, verb, subject (Hixkaryana).
    case ovs
    /// Object, subject, verb (rare).
    case osv

    /// The three constituents in order: 0 subject, 1 verb, 2 object.
    var constituents: [Int] {
        switch self {
        case .svo: return [0, 1, 2]
        case .sov: return [0, 2, 1]
        case .vso: return [1, 0, 2]
        case .vos: return [1, 2, 0]
        case .ovs: return [2, 1, 0]
        case .osv: return [2, 0, 1]
        }
    }
}

/// An artificial language that renders `Meaning`s as token sequences: its own word forms for every
/// noun, verb and adjective, a plural marker token after a plural noun, a past marker token before
/// or after the verb, adjectives before or after their noun (the noun keeping its plural marker), and
/// its own order of subject, verb and object. A noun phrase is `[adj] noun [pl]` or `noun [pl] [adj]`.
///
/// Rendering is one-to-one and `parse` inverts it: every form belongs to one word class and one
/// concept, each noun phrase holds exactly one noun, and the word order says which is the agent.
public struct SyntheticLanguage: Sendable, Equatable {
    /// The language's name (e.g. "A").
    public let name: String
    /// The order of subject, verb and object.
    public let order: WordOrder
    /// Whether adjectives come before their noun.
    public let adjectiveBeforeNoun: Bool
    /// Whether the past marker comes before the verb.
    public let pastMarkerBeforeVerb: Bool
    /// The form of each noun, verb and adjective concept.
    public let nouns: [String], verbs: [String], adjectives: [String]
    /// The token following a plural noun.
    public let pluralMarker: String
    /// The token marking the past tense.
    public let pastMarker: String

    /// A language from its parts; forms must be distinct (checked by `family`).
    public init(name: String, order: WordOrder, adjectiveBeforeNoun: Bool, pastMarkerBeforeVerb: Bool,
                nouns: [String], verbs: [String], adjectives: [String], pluralMarker: String, pastMarker: String) {
        self.name = name; self.order = order
        self.adjectiveBeforeNoun = adjectiveBeforeNoun; self.pastMarkerBeforeVerb = pastMarkerBeforeVerb
        self.nouns = nouns; self.verbs = verbs; self.adjectives = adjectives
        self.pluralMarker = pluralMarker; self.pastMarker = pastMarker
    }

    /// Every word form of the language (markers included), nouns first.
    public var words: [String] { nouns + verbs + adjectives + [pluralMarker, pastMarker] }

    /// The sentence for `meaning` (whose concepts must be within the language's lexicon).
    public func render(_ meaning: Meaning) -> [String] {
        func phrase(_ noun: Int, _ plural: Bool, _ adjective: Int?) -> [String] {
            let n = [nouns[noun]] + (plural ? [pluralMarker] : [])
            guard let adjective else { return n }
            return adjectiveBeforeNoun ? [adjectives[adjective]] + n : n + [adjectives[adjective]]
        }
        let verb = meaning.past ? (pastMarkerBeforeVerb ? [pastMarker, verbs[meaning.action]] : [verbs[meaning.action], pastMarker])
                                : [verbs[meaning.action]]
        let parts = [phrase(meaning.agent, meaning.agentPlural, meaning.agentAdjective), verb,
                     phrase(meaning.patient, meaning.patientPlural, meaning.patientAdjective)]
        return order.constituents.flatMap { parts[$0] }
    }

    /// The meaning of `tokens`, or nil when they are not a sentence of this language.
    public func parse(_ tokens: [String]) -> Meaning? {
        enum Word: Equatable { case noun(Int), verb(Int), adjective(Int), plural, past }
        var lexicon: [String: Word] = [pluralMarker: .plural, pastMarker: .past]
        for (i, w) in nouns.enumerated() { lexicon[w] = .noun(i) }
        for (i, w) in verbs.enumerated() { lexicon[w] = .verb(i) }
        for (i, w) in adjectives.enumerated() { lexicon[w] = .adjective(i) }
        var words: [Word] = []
        for t in tokens { guard let w = lexicon[t] else { return nil }; words.append(w) }
        var position = 0
        func nounPhrase() -> (noun: Int, plural: Bool, adjective: Int?)? {
            var adjective: Int? = nil
            if adjectiveBeforeNoun, position < words.count, case .adjective(let a) = words[position] { adjective = a; position += 1 }
            guard position < words.count, case .noun(let n) = words[position] else { return nil }
            position += 1
            var plural = false
            if position < words.count, words[position] == .plural { plural = true; position += 1 }
            if !adjectiveBeforeNoun, position < words.count, case .adjective(let a) = words[position] { adjective = a; position += 1 }
            return (n, plural, adjective)
        }
        func verbPhrase() -> (verb: Int, past: Bool)? {
            var past = false
            if pastMarkerBeforeVerb, position < words.count, words[position] == .past { past = true; position += 1 }
            guard position < words.count, case .verb(let v) = words[position] else { return nil }
            position += 1
            if !pastMarkerBeforeVerb, position < words.count, words[position] == .past { past = true; position += 1 }
            return (v, past)
        }
        var subject: (noun: Int, plural: Bool, adjective: Int?)?, object: (noun: Int, plural: Bool, adjective: Int?)?
        var verb: (verb: Int, past: Bool)?
        for c in order.constituents {
            switch c {
            case 0: guard let p = nounPhrase() else { return nil }; subject = p
            case 1: guard let v = verbPhrase() else { return nil }; verb = v
            default: guard let p = nounPhrase() else { return nil }; object = p
            }
        }
        guard position == words.count, let subject, let object, let verb else { return nil }
        return Meaning(agent: subject.noun, action: verb.verb, patient: object.noun, agentPlural: subject.plural,
                       patientPlural: object.plural, agentAdjective: subject.adjective, patientAdjective: object.adjective, past: verb.past)
    }

    /// `count` languages named "A", "B", ... for the concepts of `space`, all drawn from `seed`:
    /// word orders distinct while there are orders left (a seeded permutation), adjective and
    /// past-marker positions drawn at random, and word forms of two or three consonant-vowel
    /// syllables from an alphabet each language draws for itself, every form distinct across all
    /// languages (so the vocabularies are disjoint).
    public static func family(count: Int, space: MeaningSpace, seed: UInt64) -> [SyntheticLanguage] {
        precondition(count >= 1 && count <= 26, "SyntheticLanguage.family makes 1...26 languages, got \(count)")
        let generator = RandomGenerator(seed: seed)
        let orders = generator.permutation(WordOrder.allCases.count).map { WordOrder.allCases[$0] }
        let consonants = Array("ptkbdgmnlrsvzfh").map(String.init), vowels = Array("aeiou").map(String.init)
        var used = Set<String>()
        return (0..<count).map { l in
            // Each language's own sound inventory: 8 consonants and 3 vowels.
            let cs = generator.permutation(consonants.count).prefix(8).map { consonants[$0] }
            let vs = generator.permutation(vowels.count).prefix(3).map { vowels[$0] }
            func word(syllables: ClosedRange<Int>) -> String {
                var attempts = 0
                while true {
                    // A crowded inventory makes room with longer words rather than looping forever.
                    let extra = attempts / 100
                    attempts += 1
                    let n = syllables.lowerBound + extra + generator.nextInt(below: syllables.count)
                    let w = (0..<n).map { _ in cs[generator.nextInt(below: cs.count)] + vs[generator.nextInt(below: vs.count)] }.joined()
                    if used.insert(w).inserted { return w }
                }
            }
            let pluralMarker = word(syllables: 1...1), pastMarker = word(syllables: 1...1)
            let nouns = (0..<space.nouns).map { _ in word(syllables: 2...3) }
            let verbs = (0..<space.verbs).map { _ in word(syllables: 2...3) }
            let adjectives = (0..<space.adjectives).map { _ in word(syllables: 2...3) }
            let name = String(UnicodeScalar(UInt8(65 + l)))
            return SyntheticLanguage(name: name, order: orders[l % orders.count], adjectiveBeforeNoun: generator.nextInt(below: 2) == 0,
                                     pastMarkerBeforeVerb: generator.nextInt(below: 2) == 0, nouns: nouns, verbs: verbs,
                                     adjectives: adjectives, pluralMarker: pluralMarker, pastMarker: pastMarker)
        }
    }
}
