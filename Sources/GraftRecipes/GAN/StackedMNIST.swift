import Graft

/// Stacked MNIST (Metz et al. 2017, Sec. 3.3; Srivastava et al. 2017): three MNIST digits stacked
/// as the channels of one image, so the data have 1000 modes (digit triples). A generator's
/// samples are assigned to modes by classifying each channel with a digit classifier; the
/// histogram over the 1000 triples gives modes covered and KL to uniform.
public enum StackedMNIST {
    /// Stacks three digits per sample: `images` [N, 1, 28, 28], `count` samples whose channels are
    /// drawn uniformly at random; returns images [count, 3, 28, 28] and their modes 100 a + 10 b + c.
    public static func make(images: Tensor, labels: Tensor, count: Int, generator: RandomGenerator) -> (images: Tensor, modes: [Int]) {
        precondition(images.rank == 4 && images.shape[1] == 1 && labels.count == images.shape[0],
                     "StackedMNIST.make expects images [N, 1, 28, 28] and N labels, got \(images.shape) and \(labels.count)")
        let n = images.shape[0]
        let picks = (0..<(3 * count)).map { _ in Int(generator.next() % UInt64(n)) }
        let stacked = images.indexSelect(axis: 0, indices: Tensor(indices: picks)).reshape([count, 3, 28, 28])
        let digits = labels.scalars
        let modes = (0..<count).map { i in (0..<3).reduce(0) { $0 * 10 + Int(digits[picks[3 * i + $1]]) } }
        return (stacked, modes)
    }

    /// The mode (100 a + 10 b + c) of each stacked image [N, 3, 28, 28], from `classifier`'s
    /// most likely digit for each channel.
    public static func modes(of images: Tensor, classifier: DigitClassifier) -> [Int] {
        precondition(images.rank == 4 && images.shape[1] == 3 && images.shape[2] == 28 && images.shape[3] == 28,
                     "StackedMNIST.modes expects images [N, 3, 28, 28], got \(images.shape)")
        let n = images.shape[0]
        let channels = images.reshape([n * 3, 1, 28, 28])
        let digits = classifier.describe(channels).probabilities.argmax(axis: 1).scalars
        return (0..<n).map { i in Int(digits[3 * i]) * 100 + Int(digits[3 * i + 1]) * 10 + Int(digits[3 * i + 2]) }
    }
}
