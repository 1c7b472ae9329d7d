import Testing
@testable import GraftRecipes

@Suite struct DANNScheduleTests {
    @Test func lambdaRisesFromZeroToAlmostOne() {
        // 2 / (1 + exp(-10 p)) - 1, by hand.
        #expect(DANNSchedule.lambda(progress: 0) == 0)
        #expect(abs(DANNSchedule.lambda(progress: 0.5) - 0.9866142981514305) < 1e-14)
        #expect(abs(DANNSchedule.lambda(progress: 1) - 0.9999092042625952) < 1e-14)
    }

    @Test func learningRateAnnealsFromOneHundredth() {
        // 0.01 / (1 + 10 p)^0.75: 0.01, 0.01 / 6^0.75, 0.01 / 11^0.75.
        #expect(DANNSchedule.learningRate(progress: 0) == 0.01)
        #expect(abs(DANNSchedule.learningRate(progress: 0.5) - 0.0026084743001221454) < 1e-15)
        #expect(abs(DANNSchedule.learningRate(progress: 1) - 0.0016556002607617019) < 1e-15)
    }

    @Test func progressIsTheFractionOfStepsClamped() {
        #expect(DANNSchedule.progress(step: 0, of: 200) == 0)
        #expect(DANNSchedule.progress(step: 50, of: 200) == 0.25)
        #expect(DANNSchedule.progress(step: 300, of: 200) == 1)
        #expect(DANNSchedule.progress(step: 3, of: 0) == 1)
    }
}
