import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

/// Each adversarial route on a task whose answer is known: the real sequences are all token 1,
/// so every route must raise the share of 1s in G's samples from about 1/V.
@Suite struct SequenceGANTrainerTests {
    func tinySettings() -> SequenceGANSettings {
        var s = SequenceGANSettings()
        s.vocabulary = 5; s.length = 6; s.generatorEmbedding = 8; s.generatorHidden = 16; s.batchSize = 32
        s.discriminatorEmbedding = 8; s.discriminatorWidths = [1, 2, 3]; s.discriminatorMaps = [8, 8, 8]
        s.discriminatorLearningRate = 0.01; s.generatorLearningRate = 0.02; s.rollouts = 4; s.prefixHidden = 16; s.criticSteps = 2
        return s
    }
    let real = Tensor.ones([64, 6])
    func share(_ t: SequenceGANTrainer) -> Float { t.sample(200).eq(1).mean().item }

    @Test func mleFitsTheData() throws {
        let t = SequenceGANTrainer(settings: tinySettings(), seed: 1)
        let before = share(t)
        var loss = 0.0
        for _ in 0..<15 { loss = try t.mleEpoch(real) }
        #expect(before < 0.4 && share(t) > 0.95, "share of 1s \(before) -> \(share(t)), loss \(loss)")
        #expect(loss < 0.1)
    }

    @Test func reinforceFollowsAHandMadeReward() throws {
        let t = SequenceGANTrainer(settings: tinySettings(), seed: 2)
        let before = share(t)
        for _ in 0..<60 { try t.policyGradientStep(useBaseline: true) { $0.eq(1).mean(axis: 1) } }
        #expect(share(t) > before + 0.4, "share of 1s \(before) -> \(share(t))")
        #expect(t.baseline.value != nil)
    }

    @Test func seqGANRolloutRewardsPullTowardTheRealData() throws {
        let t = SequenceGANTrainer(settings: tinySettings(), seed: 3)
        let before = share(t)
        for _ in 0..<6 {
            try t.discriminatorRound(real: real, epochs: 2)
            for _ in 0..<8 { try t.seqGANStep() }
        }
        #expect(share(t) > before + 0.3, "share of 1s \(before) -> \(share(t))")
        // The rollout copy followed G: it is no longer the initial copy but not G itself.
        #expect(t.rolloutNet.output.weight.scalars != t.generatorNet.output.weight.scalars)
    }

    @Test func stepwiseRewardsPullTowardTheRealData() throws {
        let t = SequenceGANTrainer(settings: tinySettings(), seed: 4)
        let before = share(t)
        for _ in 0..<6 {
            try t.prefixDiscriminatorRound(real: real, epochs: 2)
            for _ in 0..<8 { try t.stepwiseStep() }
        }
        #expect(share(t) > before + 0.3, "share of 1s \(before) -> \(share(t))")
    }

    @Test func continuousWGANGPPullsTowardTheRealData() throws {
        let t = SequenceGANTrainer(settings: tinySettings(), seed: 5)
        let before = share(t)
        for _ in 0..<40 { try t.continuousStep(real: real, mode: .gumbel, wasserstein: true) }
        #expect(share(t) > before + 0.3, "share of 1s \(before) -> \(share(t))")
    }

    @Test func aNaNLossIsReportedWithItsPhase() {
        let t = SequenceGANTrainer(settings: tinySettings(), seed: 6)
        noGrad { t.generatorNet.output.bias!.assign(Tensor.full([5], .nan)) }
        #expect(throws: SequenceGANError.self) { try t.mleEpoch(real) }
        do { try t.mleEpoch(real) } catch { #expect("\(error)".contains("MLE") && "\(error)".contains("batch 1")) }
    }
}
