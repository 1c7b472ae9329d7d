#if canImport(Glibc)
import Glibc
#endif

/// A seeded xoshiro256** pseudo-random generator (Blackman and Vigna 2018): the one source
/// of randomness in Graft. The same seed gives the same numbers on every run and machine.
public final class RandomGenerator: RandomNumberGenerator {
    var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A cached second normal deviate from the last Box-Muller pair.
    var spareNormal: Float?

    /// The generator that creation functions use when none is given (seed 0 at start).
    nonisolated(unsafe) public static var global = RandomGenerator(seed: 0)

    /// Reseeds the global generator, like `torch.manual_seed`.
    public static func manualSeed(_ seed: UInt64) { global = RandomGenerator(seed: seed) }

    /// A generator whose state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The next 64 random bits.
    @inline(__always)
    public func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inline(__always)
    public func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform Float in (0, 1]: safe to take the logarithm of.
    @inline(__always)
    public func nextOpenFloat() -> Float { (Float(next() >> 40) + 1) * 0x1p-24 }

    /// A standard normal deviate (Box-Muller, both values of each pair used).
    @inline(__always)
    public func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        let u1 = Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let r = (-2 * log(1 - u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = Float(r * sin(theta))
        return Float(r * cos(theta))
    }

    /// A uniform integer in 0..<n.
    public func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound, got \(n)")
        return Int(UInt64(n).multipliedFullWidth(by: next()).high)
    }

    /// A random permutation of 0..<n (Fisher-Yates).
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, nextInt(below: i + 1)) }
        }
        return p
    }

    /// The full state as text (four hex words, then the cached normal deviate's bits or "-"), for
    /// checkpoints: a generator restored from it continues with exactly the same numbers.
    public var stateText: String {
        let words = [s0, s1, s2, s3].map { String($0, radix: 16) }
        return (words + [spareNormal.map { String($0.bitPattern, radix: 16) } ?? "-"]).joined(separator: " ")
    }

    /// A generator continuing from `stateText`, or nil when the text is not one.
    public convenience init?(stateText: String) {
        let parts = stateText.split(separator: " ").map(String.init)
        guard parts.count == 5 else { return nil }
        let words = parts.prefix(4).compactMap { UInt64($0, radix: 16) }
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        var spare: Float? = nil
        if parts[4] != "-" {
            guard let bits = UInt32(parts[4], radix: 16) else { return nil }
            spare = Float(bitPattern: bits)
        }
        self.init(seed: 0)
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
        spareNormal = spare
    }

    /// Continues from `stateText` (as `stateText` wrote it) in place, so that every holder of
    /// this generator sees the restored sequence; false, with nothing changed, when the text is
    /// not a generator state.
    @discardableResult
    public func restore(stateText: String) -> Bool {
        guard let other = RandomGenerator(stateText: stateText) else { return false }
        (s0, s1, s2, s3, spareNormal) = (other.s0, other.s1, other.s2, other.s3, other.spareNormal)
        return true
    }

    /// An independent generator derived from this one (for a data loader or a worker).
    public func fork() -> RandomGenerator { RandomGenerator(seed: next()) }
}
