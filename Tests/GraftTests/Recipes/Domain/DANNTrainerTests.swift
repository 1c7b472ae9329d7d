import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct DANNTrainerTests {
    /// Two classes at (x, y) = ±(1, 1) with deviation 0.3 in both; the target domain is the
    /// source moved up by `shift`. In the source, y helps to tell the classes apart; across the
    /// domains only x does.
    static func shiftedDomains(count: Int, shift: Float, seed: UInt64) -> (source: Tensor, labels: Tensor, target: Tensor, targetLabels: Tensor) {
        let rng = RandomGenerator(seed: seed)
        func draw(_ dy: Float) -> (Tensor, Tensor) {
            var points: [Float] = [], labels: [Float] = []
            for i in 0..<count {
                let c = Float(i % 2)
                points += [(2 * c - 1) + 0.3 * rng.nextNormal(), (2 * c - 1) + dy + 0.3 * rng.nextNormal()]
                labels.append(c)
            }
            return (Tensor(points, shape: [count, 2]), Tensor(labels, shape: [count]))
        }
        let (s, ls) = draw(0), (t, lt) = draw(shift)
        return (s, ls, t, lt)
    }

    /// A one-number feature f = a x + b y + c, a linear label predictor on it and a 16-unit
    /// domain classifier: the feature keeps the label and drops the domain only with |b| << |a|.
    static func model(seed: UInt64) -> DANNModel {
        let g = RandomGenerator(seed: seed)
        return DANNModel(features: Linear(2, 1, generator: g), labelPredictor: Linear(1, 2, generator: g),
                         domainClassifier: Sequential(Linear(1, 16, generator: g), ReLU(), Linear(16, 2, generator: g)))
    }

    /// Trains for `steps` steps on batches of 32 + 32 drawn by `seed`, at μ_0 = 0.05.
    static func train(mode: DANNMode, steps: Int, seed: UInt64,
                      data: (source: Tensor, labels: Tensor, target: Tensor, targetLabels: Tensor)) throws -> DANNModel {
        let model = Self.model(seed: seed)
        let trainer = try DANNTrainer(model: model, mode: mode, totalSteps: steps, initialLearningRate: 0.05)
        let rng = RandomGenerator(seed: seed &+ 100)
        let n = data.source.shape[0]
        for _ in 0..<steps {
            let si = Tensor(indices: (0..<32).map { _ in rng.nextInt(below: n) })
            let ti = Tensor(indices: (0..<32).map { _ in rng.nextInt(below: n) })
            try trainer.step(source: data.source.indexSelect(axis: 0, indices: si), labels: data.labels.indexSelect(axis: 0, indices: si),
                             target: data.target.indexSelect(axis: 0, indices: ti))
        }
        return model
    }

    /// |b / a| of the feature f = a x + b y + c.
    static func domainWeightRatio(_ model: DANNModel) -> Float {
        let w = (model.features as! Linear).weight.scalars
        return abs(w[1] / w[0])
    }

    @Test func adversarialTrainingDropsTheShiftedCoordinateAndKeepsTheLabels() throws {
        let data = Self.shiftedDomains(count: 400, shift: 2, seed: 1)
        let raw = try DomainProbe.linearAccuracy(source: data.source, target: data.target, seed: 3)
        #expect(raw > 0.95, "raw inputs: the shift is plain to see (\(raw))")
        for seed: UInt64 in [1, 2] {
            let plain = try Self.train(mode: .labelsOnly, steps: 600, seed: seed, data: data)
            let dann = try Self.train(mode: .adversarial, steps: 600, seed: seed, data: data)
            // The known answer: the invariant feature is x alone. Labels only use y as well.
            #expect(Self.domainWeightRatio(dann) < 0.1, "seed \(seed): DANN |b/a| = \(Self.domainWeightRatio(dann))")
            #expect(Self.domainWeightRatio(plain) > 0.3, "seed \(seed): labels-only |b/a| = \(Self.domainWeightRatio(plain))")
            // A fresh domain classifier on DANN's feature is at chance, against near 100% on the inputs.
            let probe = try DomainProbe.linearAccuracy(source: dann.extractFeatures(data.source), target: dann.extractFeatures(data.target), seed: 3)
            #expect(probe < 0.6, "seed \(seed): DANN features \(probe)")
            // The source labels stay right, and the target's follow, unlike the labels-only model's.
            let (dannSource, dannTarget) = (dann.accuracy(data.source, labels: data.labels), dann.accuracy(data.target, labels: data.targetLabels))
            let plainTarget = plain.accuracy(data.target, labels: data.targetLabels)
            #expect(dannSource > 0.95 && dannTarget > 0.95, "seed \(seed): DANN \(dannSource) source, \(dannTarget) target")
            #expect(dannTarget > plainTarget + 0.05, "seed \(seed): target \(dannTarget) against labels only \(plainTarget)")
        }
    }

    @Test func trainingIsDeterministic() throws {
        let data = Self.shiftedDomains(count: 40, shift: 2, seed: 5)
        let a = try Self.train(mode: .adversarial, steps: 20, seed: 3, data: data)
        let b = try Self.train(mode: .adversarial, steps: 20, seed: 3, data: data)
        #expect(a.namedParameters().map(\.tensor.scalars) == b.namedParameters().map(\.tensor.scalars))
    }

    @Test func stepsFollowTheSchedulesAndRefuseBadBatches() throws {
        let data = Self.shiftedDomains(count: 8, shift: 2, seed: 2)
        let trainer = try DANNTrainer(model: Self.model(seed: 1), mode: .adversarial, totalSteps: 4)
        var results: [DANNStepResult] = []
        for _ in 0..<4 { results.append(try trainer.step(source: data.source, labels: data.labels, target: data.target)) }
        #expect(results.map(\.lambda) == [0, 0.25, 0.5, 0.75].map { DANNSchedule.lambda(progress: $0) })
        #expect(results.map(\.learningRate) == [0, 0.25, 0.5, 0.75].map { DANNSchedule.learningRate(progress: $0) })
        #expect(results.allSatisfy { $0.domainLoss != nil && $0.labelLoss.isFinite })
        #expect(trainer.optimizer.groups[0].learningRate == Float(results[3].learningRate))
        #expect(trainer.optimizer.momentum == 0.9 && trainer.stepsTaken == 4)
        let plain = try DANNTrainer(model: Self.model(seed: 1), mode: .labelsOnly, totalSteps: 4)
        #expect(try plain.step(source: data.source, labels: data.labels).domainLoss == nil)
        #expect(throws: DANNError.badBatch(what: "target batch", reason: "an adversarial step needs a target batch")) {
            try trainer.step(source: data.source, labels: data.labels)
        }
        #expect(throws: DANNError.badBatch(what: "source labels", reason: "expected [8], got [3]")) {
            try trainer.step(source: data.source, labels: Tensor([0, 1, 0], shape: [3]), target: data.target)
        }
        #expect(throws: DANNError.badBatch(what: "target batch", reason: "expected [B', 2] with B' >= 1, got [8, 3]")) {
            try trainer.step(source: data.source, labels: data.labels, target: Tensor.zeros([8, 3]))
        }
        #expect(DANNError.nonFiniteLoss(step: 3, value: .nan).description == "the DANN loss became nan at step 3")
    }

    @Test func theMNISTArchitectureHasThePapersShapes() {
        let model = DANNModel.mnist(generator: RandomGenerator(seed: 0))
        let x = Tensor.zeros([2, 3, 28, 28])
        #expect(model.extractFeatures(x).shape == [2, 768])
        #expect(model(x).shape == [2, 10])
        #expect(model.domainLogits(features: model.extractFeatures(x)).shape == [2, 2])
        let names = Set(model.namedParameters().map(\.name))
        #expect(names.contains("features.0.weight") && names.contains("features.3.weight"))
        #expect(names.contains("labelPredictor.4.weight") && names.contains("domainClassifier.2.weight"))
        // 32·3·25 + 32 + 48·32·25 + 48 + (768·100 + 100 + 100·100 + 100 + 100·10 + 10) + (768·100 + 100 + 100·2 + 2)
        #expect(model.parameterCount == 2432 + 38448 + 88010 + 77102)
    }
}
