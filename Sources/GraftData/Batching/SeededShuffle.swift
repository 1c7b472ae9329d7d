import Graft

/// Shuffles that depend only on a seed and an epoch number, so that epoch e of a resumed run
/// sees exactly the order it would have seen in an uninterrupted one, whatever ran before.
public enum SeededShuffle {
    /// The SplitMix64 finaliser: a bijective mixing of 64 bits.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A fresh generator for epoch `epoch` of a run seeded with `seed`; different epochs get
    /// unrelated streams.
    public static func generator(seed: UInt64, epoch: Int) -> RandomGenerator {
        RandomGenerator(seed: mix(seed &+ mix(UInt64(bitPattern: Int64(epoch)) ^ 0xD1B5_4A32_D192_ED03)))
    }

    /// A permutation of 0..<count for epoch `epoch` of a run seeded with `seed`.
    public static func permutation(_ count: Int, seed: UInt64, epoch: Int) -> [Int] {
        generator(seed: seed, epoch: epoch).permutation(count)
    }

    /// Shuffles `elements` in place (Fisher-Yates) with `generator`.
    public static func shuffle<T>(_ elements: inout [T], using generator: RandomGenerator) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) { elements.swapAt(i, generator.nextInt(below: i + 1)) }
    }
}
