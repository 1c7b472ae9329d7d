import Testing
@testable import Graft
@testable import GraftData

@Suite struct PaddingTests {
    let sequences = [[5, 6, 7], [8], [], [9, 10, 11, 12]]

    @Test func padsOnTheRight() {
        let (tokens, lengths, mask) = padBatch(sequences, padIndex: 0)
        #expect(tokens.shape == [4, 4] && mask.shape == [4, 4])
        #expect(lengths == [3, 1, 0, 4])
        #expect(tokens.scalars == [5, 6, 7, 0, 8, 0, 0, 0, 0, 0, 0, 0, 9, 10, 11, 12])
        #expect(mask.scalars == [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
        // The mask sums to the lengths.
        #expect(mask.sum(axis: 1).scalars == lengths.map(Float.init))
    }

    @Test func padsOnTheLeftAndTruncates() {
        let (tokens, lengths, mask) = padBatch(sequences, padIndex: 1, maxLength: 2, side: .left)
        #expect(tokens.shape == [4, 2] && lengths == [2, 1, 0, 2])
        // Truncation keeps the first tokens; left padding puts them at the end.
        #expect(tokens.scalars == [5, 6, 1, 8, 1, 1, 9, 10])
        #expect(mask.scalars == [1, 1, 0, 1, 0, 0, 1, 1])
        // A limit above the longest sequence changes nothing.
        let wide = padBatch(sequences, padIndex: 0, maxLength: 10)
        #expect(wide.tokens.shape == [4, 4] && wide.lengths == [3, 1, 0, 4])
    }

    @Test func emptyBatches() {
        let none = padBatch([], padIndex: 0)
        #expect(none.tokens.shape == [0, 0] && none.mask.shape == [0, 0] && none.lengths == [])
        let blank = padBatch([[], []], padIndex: 0)
        #expect(blank.tokens.shape == [2, 0] && blank.lengths == [0, 0])
        let cut = padBatch([[1, 2]], padIndex: 0, maxLength: 0)
        #expect(cut.tokens.shape == [1, 0] && cut.lengths == [0])
    }

    @Test func encodedSentencesRoundTrip() throws {
        let tokenizer = WordTokenizer(lowercased: true)
        let texts = ["The cat sat.", "A dog!", "The cat and the dog sat down, quietly."]
        let vocab = Vocabulary(building: texts.map(tokenizer.tokenize))
        let ids = texts.map { vocab.encode(tokenizer.tokenize($0), addBOS: true, addEOS: true) }
        let batch = padBatch(ids, padIndex: vocab.padIndex)
        let width = batch.tokens.shape[1]
        for (b, text) in texts.enumerated() {
            let row = batch.tokens.scalars[b * width..<(b + 1) * width].map { Int($0) }
            let words = vocab.decode(row, stripSpecial: true)
            #expect(tokenizer.detokenize(words) == text.lowercased())
        }
    }
}
