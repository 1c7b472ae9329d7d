import Testing

/// SplitMix64: a tiny deterministic generator for test data.
struct TestRandom {
    /// Generator state.
    var state: UInt64

    /// Next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform float in [-1, 1).
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }

    /// `count` uniform floats in [-1, 1).
    mutating func floats(_ count: Int) -> [Float] { (0..<count).map { _ in float() } }

    /// `count` small integers 0...2 as floats: many ties inside every window.
    mutating func tiedFloats(_ count: Int) -> [Float] { (0..<count).map { _ in Float(next() % 3) } }
}
