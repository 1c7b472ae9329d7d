import Foundation
import Graft

/// The 2-D Gaussian mixtures of the mode-collapse experiments (VEEGAN, Srivastava et al. 2017;
/// PacGAN, Lin et al. 2018): 8 modes on a circle of radius 2 with std 0.02, and 25 modes on the
/// grid {-4, -2, 0, 2, 4}^2 with std 0.05, all modes equally likely.
public struct ToyMixture: Sendable {
    /// The mode centres [K, 2].
    public let centres: [SIMD2<Double>]
    /// The standard deviation of every mode.
    public let std: Double
    /// A name for reports ("ring" or "grid").
    public let name: String

    /// Eight modes on a circle of radius 2, std 0.02.
    public static let ring = ToyMixture(centres: (0..<8).map { k in
        let angle = 2 * Double.pi * Double(k) / 8
        return SIMD2(2 * cos(angle), 2 * sin(angle))
    }, std: 0.02, name: "ring")

    /// Twenty-five modes on the grid {-4, -2, 0, 2, 4}^2, std 0.05.
    public static let grid = ToyMixture(centres: (0..<25).map { k in
        SIMD2(Double(k / 5) * 2 - 4, Double(k % 5) * 2 - 4)
    }, std: 0.05, name: "grid")

    /// `count` samples [count, 2]: a uniformly chosen mode plus Gaussian noise.
    public func sample(_ count: Int, generator: RandomGenerator) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(2 * count)
        for _ in 0..<count {
            let mode = centres[Int(generator.next() % UInt64(centres.count))]
            values.append(Float(mode.x + std * Double(generator.nextNormal())))
            values.append(Float(mode.y + std * Double(generator.nextNormal())))
        }
        return Tensor(values, shape: [count, 2])
    }
}
