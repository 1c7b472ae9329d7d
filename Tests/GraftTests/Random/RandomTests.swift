import Testing
@testable import Graft

@Suite struct RandomTests {
    @Test func sameSeedSameNumbers() {
        let a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 43)
        let xa = (0..<100).map { _ in a.next() }, xb = (0..<100).map { _ in b.next() }
        #expect(xa == xb)
        #expect(xa != (0..<100).map { _ in c.next() })
    }

    @Test func knownFirstValuesPinTheAlgorithm() {
        // xoshiro256** seeded by SplitMix64(0): any change to either breaks reproducibility.
        let g = RandomGenerator(seed: 0)
        let first = (0..<3).map { _ in g.next() }
        let again = RandomGenerator(seed: 0)
        #expect(first == (0..<3).map { _ in again.next() })
        #expect(Set(first).count == 3)
        // Values from an independent implementation of the reference algorithm.
        #expect(first == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
    }

    @Test func uniformAndNormalMoments() {
        let g = RandomGenerator(seed: 3)
        let u = (0..<100_000).map { _ in Double(g.nextFloat()) }
        let mu = u.reduce(0, +) / Double(u.count)
        #expect(abs(mu - 0.5) < 0.005)
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        let n = (0..<100_000).map { _ in Double(g.nextNormal()) }
        let mn = n.reduce(0, +) / Double(n.count)
        let vn = n.map { ($0 - mn) * ($0 - mn) }.reduce(0, +) / Double(n.count)
        #expect(abs(mn) < 0.01 && abs(vn - 1) < 0.02)
    }

    @Test func categoricalFollowsSoftmax() {
        let logits = Tensor([[0, Float(2).squareRoot().squareRoot(), -1, 1]]).expand([20_000, 4])
        let draws = Tensor.categorical(logits: logits, generator: RandomGenerator(seed: 5))
        let probs = Tensor([[0, Float(2).squareRoot().squareRoot(), -1, 1]]).softmax(axis: -1).scalars
        var counts = [Double](repeating: 0, count: 4)
        for d in draws.scalars { counts[Int(d)] += 1 }
        for k in 0..<4 { #expect(abs(counts[k] / 20_000 - Double(probs[k])) < 0.015) }
        // Temperature sharpens: at T = 0.05 the largest logit almost always wins.
        let sharp = Tensor.categorical(logits: logits, temperature: 0.05, generator: RandomGenerator(seed: 6))
        #expect(sharp.scalars.filter { $0 == 1 }.count > 19_500)
        // Zero-probability classes are never drawn.
        let masked = Tensor([[0, -.infinity, 0]]).expand([5000, 3])
        #expect(!Tensor.categorical(logits: masked).scalars.contains(1))
    }

    @Test func categoricalOverManyClassesFollowsSoftmaxOnAnyThreadCount() {
        // 300 classes span several scan blocks; the mass sits in a few classes across blocks.
        var row = [Float](repeating: -4, count: 300)
        row[3] = 1; row[70] = 0.5; row[199] = 1.5; row[299] = 0
        let logits = Tensor(row, shape: [1, 300]).expand([20_000, 300])
        let probs = Tensor(row, shape: [1, 300]).softmax(axis: -1).scalars
        let one = ComputeThreads.with(1) { Tensor.categorical(logits: logits, generator: RandomGenerator(seed: 11)) }
        let two = ComputeThreads.with(2) { Tensor.categorical(logits: logits, generator: RandomGenerator(seed: 11)) }
        #expect(one.scalars == two.scalars)
        var counts = [Double](repeating: 0, count: 300)
        for d in one.scalars { counts[Int(d)] += 1 }
        for k in [3, 70, 199, 299, 150] { #expect(abs(counts[k] / 20_000 - Double(probs[k])) < 0.015, "class \(k)") }
        let rest = (0..<300).filter { ![3, 70, 199, 299].contains($0) }.reduce(0.0) { $0 + counts[$1] } / 20_000
        let restP = (0..<300).filter { ![3, 70, 199, 299].contains($0) }.reduce(0.0) { $0 + Double(probs[$1]) }
        #expect(abs(rest - restP) < 0.015)
    }

    @Test func gumbelHasEulerMean() {
        let g = Tensor.gumbel([200_000], generator: RandomGenerator(seed: 8))
        #expect(abs(g.mean().item - 0.5772) < 0.01)
        #expect(g.scalars.allSatisfy { $0.isFinite })
        // Gumbel-max: argmax(logits + G) is a sample from softmax(logits).
        let logits = Tensor([0, 1, 2]).reshape([1, 3])
        let noisy = logits + Tensor.gumbel([30_000, 3], generator: RandomGenerator(seed: 9))
        let picks = noisy.argmax(axis: 1).scalars
        let p2 = Double(picks.filter { $0 == 2 }.count) / 30_000
        #expect(abs(p2 - Double(logits.softmax(axis: -1)[0, 2])) < 0.015)
    }

    @Test func permutationIsAPermutation() {
        let p = RandomGenerator(seed: 1).permutation(100)
        #expect(p.sorted() == Array(0..<100) && p != Array(0..<100))
    }
}

@Suite struct RandomStateTests {
    @Test func stateTextRestoresTheStream() {
        let g = RandomGenerator(seed: 42)
        _ = (0..<5).map { _ in g.next() }
        _ = g.nextNormal()   // leaves a cached deviate
        let saved = g.stateText
        let expected = (0..<3).map { _ in g.nextNormal() } + [Float(g.nextInt(below: 1000))]
        let restored = RandomGenerator(stateText: saved)
        #expect(restored != nil)
        let again = (0..<3).map { _ in restored!.nextNormal() } + [Float(restored!.nextInt(below: 1000))]
        #expect(again == expected)
        #expect(RandomGenerator(stateText: "not a state") == nil)
        #expect(RandomGenerator(stateText: "0 0 0 0 -") == nil)
    }
}
