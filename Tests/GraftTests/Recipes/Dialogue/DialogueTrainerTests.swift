import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

/// Snapshots of every parameter of `module`, by name.
func parameterValues(_ module: Module) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.tensor.scalars) })
}

@Suite struct DialogueREINFORCETrainerTests {
    /// A seq2seq model over 7 tokens: pad 0, unknown 1, begin 2, end 3 and three words 4, 5, 6.
    static func model(seed: UInt64) throws -> Seq2Seq {
        try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 7, targetVocabulary: 7, embedding: 4, hidden: 8), generator: RandomGenerator(seed: seed))
    }

    static let target = [4, 5, 6]

    /// One point per word in place, minus half a point per word too many or too few: 3 for the target.
    static func reward(_ y: [Int]) -> Double {
        Double(zip(y, target).filter { $0 == $1 }.count) - 0.5 * Double(abs(y.count - target.count))
    }

    /// log p(target | [4]).
    static func targetLogProbability(_ model: Seq2Seq) -> Float {
        noGrad {
            let memory = model.encode(Tensor(indices: [4], shape: [1, 1]), lengths: [1])
            return model.responseLogProbabilities(memory: memory, responses: [target]).sum().item
        }
    }

    @Test func raisesTheRewardOfAFixedTargetResponse() throws {
        let model = try Self.model(seed: 1)
        var settings = DialogueREINFORCESettings()
        settings.learningRate = 0.03
        settings.maxLength = 4
        let trainer = DialogueREINFORCETrainer(model: model, reward: ResponseReward(answers: [], vocabulary: 7), settings: settings,
                                               random: RandomGenerator(seed: 2))
        let queries = [[Int]](repeating: [4], count: 16)
        let before = Self.targetLogProbability(model)
        var rewards: [Double] = []
        for _ in 0..<80 { rewards.append(try trainer.step(queries: queries, reward: Self.reward).meanReward) }
        let after = Self.targetLogProbability(model)
        let first = rewards.prefix(10).reduce(0, +) / 10, last = rewards.suffix(10).reduce(0, +) / 10
        #expect(after > before + 1, "log p(target): \(before) -> \(after)")
        #expect(last > first + 0.5, "mean reward: \(first) -> \(last)")
        #expect(trainer.stepsTaken == 80)
    }

    @Test func refreshesTheDullSetFromTheGreedyAnswersBeforeTheFirstStep() throws {
        let model = try Self.model(seed: 3)
        var settings = DialogueREINFORCESettings()
        settings.maxLength = 4
        settings.dullEvery = 2
        settings.dullCount = 1
        let probe = [[4], [5], [6], [4, 5]]
        let expected = ResponseReward.mostCommon(model.greedy(probe, maxLength: 4), count: 1)
        let trainer = DialogueREINFORCETrainer(model: model, reward: ResponseReward(answers: [[4, 5]], vocabulary: 7), dullProbe: probe,
                                               settings: settings, random: RandomGenerator(seed: 4))
        try trainer.step(queries: [[4], [5]])
        #expect(trainer.reward.dull == expected)
    }

    @Test func aNonFiniteRewardStopsTheStepBeforeAnyUpdate() throws {
        let model = try Self.model(seed: 5)
        let trainer = DialogueREINFORCETrainer(model: model, reward: ResponseReward(answers: [], vocabulary: 7), random: RandomGenerator(seed: 6))
        let before = parameterValues(model)
        #expect(throws: DialogueTrainingError.self) { try trainer.step(queries: [[4], [5]]) { _ in .nan } }
        #expect(parameterValues(model) == before)
    }
}

@Suite struct DialogueGANTrainerTests {
    static func trainer(teacherForcing: Bool = true) throws -> DialogueGANTrainer {
        var settings = DialogueGANSettings()
        settings.maxLength = 4
        settings.discriminatorEmbedding = 4
        settings.discriminatorWidths = [1, 2]
        settings.discriminatorMaps = [3, 3]
        settings.teacherForcing = teacherForcing
        return DialogueGANTrainer(generator: try DialogueREINFORCETrainerTests.model(seed: 7), settings: settings,
                                  discriminatorGenerator: RandomGenerator(seed: 8), random: RandomGenerator(seed: 9))
    }

    @Test func joinsQuerySeparatorAndResponse() throws {
        let trainer = try Self.trainer()
        #expect(trainer.separator == 7)
        #expect(trainer.pairs([[4, 5]], [[6]]).scalars == [4, 5, 7, 6, 0, 0, 0, 0, 0])
        #expect(DialogueGANTrainer.joinPair(query: [4, 5, 6], response: [4], separator: 7, padIndex: 0, length: 4) == [4, 5, 6, 7])
    }

    @Test func theGeneratorStepMovesOnlyTheGenerator() throws {
        let trainer = try Self.trainer()
        let queries = [[4], [5], [6], [4, 5]]
        let samples = trainer.sample(queries)
        let g0 = parameterValues(trainer.generator), d0 = parameterValues(trainer.discriminator)
        let result = try trainer.generatorStep(queries: queries, samples: samples)
        #expect(parameterValues(trainer.discriminator) == d0)
        #expect(parameterValues(trainer.generator) != g0)
        #expect(result.samples == samples && result.meanReward > 0 && result.meanReward < 1)
    }

    @Test func theDiscriminatorStepMovesOnlyTheDiscriminator() throws {
        let trainer = try Self.trainer()
        let g0 = parameterValues(trainer.generator), d0 = parameterValues(trainer.discriminator)
        let result = try trainer.pretrainDiscriminatorStep(queries: [[4], [5]], human: [[5, 6], [6, 4]])
        #expect(parameterValues(trainer.generator) == g0)
        #expect(parameterValues(trainer.discriminator) != d0)
        #expect(result.samples.count == 2 && result.loss.isFinite && trainer.pretrainingStepsTaken == 1)
    }

    @Test func teacherForcingAsksForItsBatchOnlyWhenOn() throws {
        for on in [true, false] {
            let trainer = try Self.trainer(teacherForcing: on)
            var asked = 0
            let result = try trainer.step(queries: [[4], [5]], human: [[5, 6], [6, 4]]) {
                asked += 1
                return ([[4]], [[5, 6]])
            }
            #expect(asked == (on ? 1 : 0) && (result.teacherForcingLoss != nil) == on && trainer.stepsTaken == 1)
        }
    }
}
