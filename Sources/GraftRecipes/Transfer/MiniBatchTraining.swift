import Graft
import GraftNN

/// Adam on shuffled mini-batches, epoch after epoch, one step at a time: the training the
/// transfer and zero-shot recipes share (`SelfTaughtLearning.pretrain`,
/// `DirectAttributePrediction.train`, `EmbeddingModel.train` run it to the end; a lab's
/// training loop calls `step()` itself and tracks it, since it is `Resumable`). Each epoch
/// visits the `count` examples in a fresh order drawn from a seeded generator.
public final class MiniBatchTraining {
    /// The module trained.
    public let model: Module
    /// Adam over its trainable parameters.
    public let optimizer: Adam
    let generator: RandomGenerator
    let count: Int, batchSize: Int
    let loss: (Tensor) -> Tensor
    /// The order of the epoch under way (empty before its first batch).
    var order: [Int] = []
    /// The next batch of the epoch, and the loss summed over the epoch's batches so far.
    var batch = 0, total: Float = 0
    /// Steps taken.
    public internal(set) var steps = 0
    /// The mean loss of each finished epoch.
    public internal(set) var history: [Float] = []

    /// Training of `model`'s trainable parameters with Adam at `learningRate` on batches of
    /// `batchSize` of `count` examples shuffled from `seed`; `loss` maps a batch's example
    /// indices (a float tensor [B]) to its loss.
    public init(_ model: Module, count: Int, batchSize: Int, learningRate: Float, seed: UInt64,
                loss: @escaping (_ rows: Tensor) -> Tensor) {
        precondition(count > 0 && batchSize > 0, "MiniBatchTraining needs examples and a positive batch size")
        self.model = model
        optimizer = Adam(model.namedParameters().filter { $0.tensor.requiresGrad }, learningRate: learningRate)
        generator = RandomGenerator(seed: seed)
        self.count = count
        self.batchSize = batchSize
        self.loss = loss
    }

    /// Mini-batches per epoch.
    public var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }

    /// One Adam step on the next mini-batch; returns its loss (one that is not finite is
    /// returned without a step). An epoch's mean joins `history` after its last batch.
    @discardableResult
    public func step() -> Float {
        if batch == 0 { order = generator.permutation(count); total = 0 }
        steps += 1
        let start = batch * batchSize
        let rows = Tensor(order[start..<Swift.min(start + batchSize, count)].map(Float.init))
        optimizer.zeroGrad()
        let value = loss(rows)
        if value.item.isFinite {
            value.backward()
            optimizer.step()
        }
        total += value.item
        batch += 1
        if batch == batchesPerEpoch {
            history.append(total / Float(batch))
            batch = 0
        }
        return value.item
    }

    /// Runs `epochs` epochs; throws `error(step, loss)` at the first loss that is not finite.
    func run(epochs: Int, error: (Int, Float) -> Error) throws {
        for _ in 0..<(epochs * batchesPerEpoch) {
            let value = step()
            guard value.isFinite else { throw error(steps, value) }
        }
    }
}
