import Testing
@testable import GraftRecipes

@Suite struct NearestSentenceTests {
    @Test func findsTheSentenceSharingTheRarestWords() {
        let corpus = [["the", "lord", "said"], ["the", "king", "went", "out"], ["and", "the", "people", "said"], ["the", "the"]]
        let index = NearestSentence(corpus: corpus)
        #expect(index.nearest(["a", "king", "went"]) == ["the", "king", "went", "out"])
        // Only sentence 2 holds both words.
        #expect(index.nearestIndex(["people", "said"]) == 2)
        #expect(index.nearestIndex(["the"]) == 3, "a pure 'the' sentence is closest to 'the'")
        #expect(index.nearestIndex(["unseen", "words"]) == 0, "nothing shared: the first sentence")
    }

    @Test func cosineIsOneForAnIdenticalSentence() {
        let corpus = [["a", "b", "c"], ["a", "b", "d"], ["c", "c", "e"]]
        let index = NearestSentence(corpus: corpus)
        for (i, s) in corpus.enumerated() { #expect(index.nearestIndex(s) == i) }
        let w = NearestSentence<String>.weights(["a", "b", "d"], idf: index.idf)
        #expect(abs(w.reduce(0) { $0 + $1.1 * $1.1 } - 1) < 1e-12)
        // In the order of first appearance, not a dictionary's (whose order changes with each
        // process's hash seed and with it the last bits of every sum, and so which of two
        // nearly equal sentences wins).
        #expect(NearestSentence<String>.weights(["d", "a", "d", "b"], idf: index.idf).map(\.0) == ["d", "a", "b"])
    }
}
