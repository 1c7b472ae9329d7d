import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct SummaryReconstructorTrainerTests {
    /// A reconstructor over 7 tokens (pad 0, begin 2, end 3, words 4...6).
    static func reconstructor(seed: UInt64) throws -> SummaryReconstructor {
        SummaryReconstructor(model: try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 7, targetVocabulary: 7, embedding: 6, hidden: 12),
                                                generator: RandomGenerator(seed: seed)))
    }

    @Test func learnsToCopyItsInput() throws {
        // Reading each document one-hot and writing it back: a copy task with a known answer.
        let documents = [[4, 5, 6], [6, 5, 4], [5, 5, 4], [4, 6, 6]]
        let sequences = Tensor.oneHot(Tensor(indices: documents.flatMap { $0 }, shape: [4, 3]), classes: 7)
        var settings = SummaryReconstructorSettings()
        settings.learningRate = 0.02
        let trainer = SummaryReconstructorTrainer(reconstructor: try Self.reconstructor(seed: 1), settings: settings)
        let first = try trainer.step(sequences: sequences, documents: documents)
        var last = first
        for _ in 0..<150 { last = try trainer.step(sequences: sequences, documents: documents) }
        #expect(last < 0.1 * first, "loss \(first) -> \(last)")
        #expect(trainer.reconstructor.tokenAccuracy(summaries: sequences, documents: documents) == 1)
        #expect(trainer.stepsTaken == 151)
    }

    @Test func aNonFiniteLossStopsBeforeAnyUpdate() throws {
        let trainer = SummaryReconstructorTrainer(reconstructor: try Self.reconstructor(seed: 2))
        let before = trainer.parameters.map(\.tensor.scalars)
        let bad = Tensor([Float](repeating: .nan, count: 2 * 7), shape: [1, 2, 7])
        #expect(throws: SummarizationError.self) { try trainer.step(sequences: bad, documents: [[4, 5]]) }
        #expect(trainer.parameters.map(\.tensor.scalars) == before)
    }
}
