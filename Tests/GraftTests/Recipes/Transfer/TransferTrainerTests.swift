import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

/// Two Gaussian blobs per class pair: class c of task t sits at ±2 on input axis t (3 inputs).
func blobs(task: Int, count: Int, seed: UInt64) -> (inputs: Tensor, labels: Tensor) {
    let rng = RandomGenerator(seed: seed)
    var x: [Float] = [], y: [Float] = []
    for i in 0..<count {
        let c = i % 2
        var point = (0..<3).map { _ in 0.3 * rng.nextNormal() }
        point[task] += c == 0 ? -2 : 2
        x += point
        y.append(Float(c))
    }
    return (Tensor(x, shape: [count, 3]), Tensor(y, shape: [count]))
}

@Suite struct MultitaskTrainerTests {
    static func model() -> MultitaskModel {
        let g = RandomGenerator(seed: 4)
        return MultitaskModel(trunk: Sequential(Linear(3, 8, generator: g), ReLU()), heads: [Linear(8, 2, generator: g), Linear(8, 2, generator: g)])
    }

    @Test func learnsBothTasksThroughTheSharedTrunk() throws {
        let model = Self.model()
        var settings = MultitaskSettings()
        settings.learningRate = 0.02
        let trainer = try MultitaskTrainer(model: model, settings: settings)
        let batches = [blobs(task: 0, count: 32, seed: 1), blobs(task: 1, count: 32, seed: 2)]
        let first = try trainer.step(batches: batches)
        var last = first
        for _ in 0..<100 { last = try trainer.step(batches: batches) }
        #expect(first.taskLosses.count == 2 && abs(first.loss - first.taskLosses.reduce(0, +)) < 1e-5)
        #expect(last.loss < 0.2 * first.loss, "\(first.loss) -> \(last.loss)")
        for t in 0..<2 {
            let accuracy = SelfTaughtLearning.accuracy(logits: noGrad { model(batches[t].inputs, task: t) }, labels: batches[t].labels)
            #expect(accuracy == 1, "task \(t): \(accuracy)")
        }
    }

    @Test func aTaskWithWeightZeroLeavesItsHeadAlone() throws {
        let model = Self.model()
        let trainer = try MultitaskTrainer(model: model, objective: try MultitaskLoss(weights: [1, 0]))
        let head1 = parameterValues(model.heads[1] as Module), head0 = parameterValues(model.heads[0] as Module)
        let trunk = parameterValues(model.trunk as Module)
        try trainer.step(batches: [blobs(task: 0, count: 8, seed: 1), blobs(task: 1, count: 8, seed: 2)])
        #expect(parameterValues(model.heads[1] as Module) == head1)
        #expect(parameterValues(model.heads[0] as Module) != head0 && parameterValues(model.trunk as Module) != trunk)
    }

    @Test func refusesTheWrongNumberOfBatches() throws {
        let trainer = try MultitaskTrainer(model: Self.model())
        #expect(throws: MultitaskError.wrongBatchCount(given: 1, tasks: 2)) { try trainer.step(batches: [blobs(task: 0, count: 4, seed: 1)]) }
        #expect(throws: TransferError.self) { try MultitaskTrainer(model: Self.model(), objective: MultitaskLoss(equalFor: 3)) }
    }
}

@Suite struct ProgressiveColumnTrainerTests {
    @Test func trainsTheNewColumnAndLeavesTheEarlierOneExactly() throws {
        let g = RandomGenerator(seed: 3)
        let net = ProgressiveNetwork(inputSize: 3, hiddenSizes: [6])
        net.addColumn(outputSize: 2, generator: g)
        let task0 = blobs(task: 0, count: 32, seed: 1), task1 = blobs(task: 1, count: 32, seed: 2)
        var settings = ClassifierTrainingSettings()
        settings.learningRate = 0.02
        let first = try ProgressiveColumnTrainer(network: net, column: 0, settings: settings)
        for _ in 0..<100 { try first.step(inputs: task0.inputs, labels: task0.labels) }
        let column0 = parameterValues(net.columns[0]), outputs0 = noGrad { net(task0.inputs, column: 0) }.scalars
        net.addColumn(outputSize: 2, generator: g)
        let second = try ProgressiveColumnTrainer(network: net, column: 1, settings: settings)
        let before = try second.step(inputs: task1.inputs, labels: task1.labels)
        var after = before
        for _ in 0..<100 { after = try second.step(inputs: task1.inputs, labels: task1.labels) }
        #expect(after < 0.2 * before, "\(before) -> \(after)")
        #expect(parameterValues(net.columns[0]) == column0)
        #expect(noGrad { net(task0.inputs, column: 0) }.scalars == outputs0)
        #expect(throws: TransferError.self) { try ProgressiveColumnTrainer(network: net, column: 2) }
    }

    @Test func theClassifierTrainerMovesOnlyTheParametersItWasGiven() throws {
        let g = RandomGenerator(seed: 5)
        let trunk = Linear(3, 4, generator: g), head = Linear(4, 2, generator: g)
        let trainer = ClassifierTrainer(parameters: head.namedParameters()) { head(trunk($0)) }
        let t0 = parameterValues(trunk), h0 = parameterValues(head)
        let data = blobs(task: 2, count: 8, seed: 6)
        try trainer.step(inputs: data.inputs, labels: data.labels)
        #expect(parameterValues(trunk) == t0 && parameterValues(head) != h0)
        let h1 = parameterValues(head)
        #expect(throws: ClassifierTrainingError.self) {
            try trainer.step(inputs: Tensor([Float](repeating: .nan, count: 6), shape: [2, 3]), labels: Tensor([0, 1]))
        }
        #expect(parameterValues(head) == h1)
    }
}
