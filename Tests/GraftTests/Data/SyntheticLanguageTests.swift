import Testing
@testable import Graft
@testable import GraftData

@Suite struct SyntheticLanguageTests {
    let space = MeaningSpace(nouns: 4, verbs: 3, adjectives: 2)

    @Test func meaningIndicesAreABijection() {
        var seen = Set<Meaning>()
        for i in 0..<space.count {
            let m = space.meaning(at: i)
            #expect(space.index(of: m) == i)
            seen.insert(m)
        }
        #expect(seen.count == space.count && space.count == 4 * 4 * 3 * 8 * 9)
        #expect(space.index(of: Meaning(agent: 9, action: 0, patient: 0)) == nil)
    }

    @Test func familyIsDeterministicForASeed() {
        let a = SyntheticLanguage.family(count: 3, space: space, seed: 7)
        let b = SyntheticLanguage.family(count: 3, space: space, seed: 7)
        let c = SyntheticLanguage.family(count: 3, space: space, seed: 8)
        #expect(a == b && a != c)
        #expect(a.map(\.name) == ["A", "B", "C"])
        // Distinct word orders while orders are left.
        #expect(Set(a.map(\.order)).count == 3)
        let g1 = RandomGenerator(seed: 3), g2 = RandomGenerator(seed: 3)
        #expect((0..<20).map { _ in space.sample(g1) } == (0..<20).map { _ in space.sample(g2) })
    }

    @Test func vocabulariesAreDisjointAndFormsUnique() {
        let family = SyntheticLanguage.family(count: 6, space: MeaningSpace(nouns: 20, verbs: 12, adjectives: 8), seed: 1)
        var all = Set<String>()
        for language in family {
            #expect(Set(language.words).count == language.words.count, "\(language.name) repeats a form")
            #expect(all.isDisjoint(with: language.words), "\(language.name) shares a form with an earlier language")
            all.formUnion(language.words)
        }
        #expect(Set(family.map(\.order)).count == 6)
    }

    @Test func renderingIsOneToOneAndParsesBack() {
        for language in SyntheticLanguage.family(count: 4, space: space, seed: 11) {
            var sentences = Set<[String]>()
            for i in 0..<space.count {
                let m = space.meaning(at: i)
                let s = language.render(m)
                #expect(language.parse(s) == m, "\(language.name): \(s) does not parse back to \(m)")
                #expect(language.render(m) == s)
                sentences.insert(s)
            }
            #expect(sentences.count == space.count, "\(language.name) renders two meanings alike")
        }
    }

    @Test func wordOrderAndMorphologyShowInTheSentence() {
        let l = SyntheticLanguage(name: "T", order: .sov, adjectiveBeforeNoun: false, pastMarkerBeforeVerb: true,
                                  nouns: ["ba", "ku"], verbs: ["mi"], adjectives: ["ro"], pluralMarker: "s", pastMarker: "t")
        let m = Meaning(agent: 0, action: 0, patient: 1, agentPlural: true, patientAdjective: 0, past: true)
        #expect(l.render(m) == ["ba", "s", "ku", "ro", "t", "mi"])
        #expect(l.parse(["ba", "s", "ku", "ro", "t", "mi"]) == m)
        // Not sentences: an unknown word, a missing verb, a trailing token, the wrong order.
        #expect(l.parse(["ba", "zz", "mi"]) == nil)
        #expect(l.parse(["ba", "ku"]) == nil)
        #expect(l.parse(["ba", "ku", "mi", "ba"]) == nil)
        #expect(l.parse(["mi", "ba", "ku"]) == nil)
    }
}
