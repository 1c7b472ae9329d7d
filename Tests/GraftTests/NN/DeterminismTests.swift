import Testing
@testable import Graft
@testable import GraftNN

/// The same seed and thread count give the same numbers; other thread counts give the same
/// numbers up to rounding.
@Suite struct DeterminismTests {
    /// Three training steps of a small conv net from `seed`; returns the flattened parameters.
    func train(seed: UInt64, threads: Int) -> [Float] {
        ComputeThreads.with(threads) {
            let g = RandomGenerator(seed: seed)
            let net = Sequential(Conv2d(1, 8, kernelSize: 5, generator: g), ReLU(), MaxPool2d(2),
                                 Conv2d(8, 16, kernelSize: 5, generator: g), ReLU(), MaxPool2d(2),
                                 Flatten(), Linear(256, 64, generator: g), Dropout(0.3, generator: g), ReLU(), Linear(64, 10, generator: g))
            let opt = Adam(net.namedParameters(), learningRate: 1e-3)
            let x = Tensor.randn([64, 1, 28, 28], generator: g)
            let y = Tensor(indices: (0..<64).map { $0 % 10 })
            for _ in 0..<3 {
                opt.zeroGrad()
                Loss.crossEntropy(net(x), y).backward()
                opt.step()
            }
            return net.parameters().flatMap(\.scalars)
        }
    }

    @Test func sameSeedAndThreadsGiveTheSameBits() {
        let a = train(seed: 5, threads: 2), b = train(seed: 5, threads: 2)
        #expect(a == b)
        #expect(train(seed: 6, threads: 2) != a)
    }

    @Test func otherThreadCountsAgreeUpToRounding() {
        let one = train(seed: 5, threads: 1), two = train(seed: 5, threads: 2)
        var worst: Float = 0
        for (p, q) in zip(one, two) { worst = max(worst, abs(p - q)) }
        #expect(worst < 1e-4, "largest parameter difference between 1 and 2 threads: \(worst)")
    }

    @Test func threadCountOverrideIsPerThread() {
        ComputeThreads.with(1) {
            #expect(ComputeThreads.count == 1)
            ComputeThreads.with(3) { #expect(ComputeThreads.count == 3) }
            #expect(ComputeThreads.count == 1)
        }
    }
}
