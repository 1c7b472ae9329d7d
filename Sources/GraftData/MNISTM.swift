import Foundation
import Graft

/// An MNIST-M-like colour domain, built the way Ganin et al. (2016, "Domain-Adversarial
/// Training of Neural Networks") built MNIST-M: each MNIST digit is blended with a random
/// 28x28 patch of a colour photo by the absolute difference, out = |patch - digit| for each
/// colour channel, with both in [0, 1]. The patches come from the bundled photo bank instead
/// of BSDS500, so the domain is like MNIST-M, not the same images.
///
/// Every random choice (photo, then top, then left, image after image) is drawn first from
/// one `RandomGenerator(seed:)`, and the blending then runs in parallel, so a seed gives the
/// same images whatever the thread count.
public struct MNISTM {
    /// Where one digit's patch came from.
    public struct Placement: Sendable, Equatable {
        /// The photo's index in the bank.
        public let photo: Int
        /// The patch's top row in the photo.
        public let top: Int
        /// The patch's left column in the photo.
        public let left: Int

        /// A placement of a patch at (top, left) of photo `photo`.
        public init(photo: Int, top: Int, left: Int) { self.photo = photo; self.top = top; self.left = left }
    }

    /// The images [N, 3, 28, 28] (red, green, blue) in [0, 1].
    public let images: Tensor
    /// The digit labels [N], whole numbers 0...9.
    public let labels: Tensor
    /// Where each image's patch came from.
    public let placements: [Placement]

    /// The number of examples.
    public var count: Int { labels.count }

    /// `count` placements drawn from `RandomGenerator(seed:)`: for each image a photo uniform
    /// in 0..<photoCount, then a top-left corner uniform over the positions where a 28x28
    /// patch fits in a photo of `photoHeight` x `photoWidth` (both at least 28).
    public static func placements(count: Int, photoCount: Int, photoHeight: Int, photoWidth: Int, seed: UInt64) throws -> [Placement] {
        guard count >= 0, photoCount > 0, photoHeight >= 28, photoWidth >= 28 else {
            throw ShapeError(op: "MNISTM.placements",
                             "needs a count >= 0 and at least one photo of at least 28x28, "
                             + "got count \(count), \(photoCount) photos of \(photoHeight)x\(photoWidth)")
        }
        let rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            let photo = rng.nextInt(below: photoCount)
            let top = rng.nextInt(below: photoHeight - 27)
            let left = rng.nextInt(below: photoWidth - 27)
            return Placement(photo: photo, top: top, left: left)
        }
    }

    /// Blends digits [N, 1, 28, 28] or [N, 28, 28] with values in [0, 1] and photos
    /// [P, H, W, 3] with values 0...255: image n, channel c, pixel (y, x) is
    /// |photos[p, top + y, left + x, c] / 255 - digits[n, y, x]| for placement n = (p, top, left).
    public static func blend(digits: Tensor, photos: Tensor, placements: [Placement]) throws -> Tensor {
        let digitShapeOK = (digits.rank == 4 && Array(digits.shape[1...]) == [1, 28, 28])
            || (digits.rank == 3 && Array(digits.shape[1...]) == [28, 28])
        guard digitShapeOK else {
            throw ShapeError(op: "MNISTM.blend", "digits must be [N, 1, 28, 28] or [N, 28, 28], got \(digits.shape)")
        }
        guard photos.rank == 4, photos.shape[3] == 3, photos.shape[0] > 0, photos.shape[1] >= 28, photos.shape[2] >= 28 else {
            throw ShapeError(op: "MNISTM.blend", "photos must be [P, H, W, 3] with P >= 1 and H, W >= 28, got \(photos.shape)")
        }
        let n = digits.shape[0]
        let (height, width) = (photos.shape[1], photos.shape[2])
        guard placements.count == n else {
            throw ShapeError(op: "MNISTM.blend", "\(placements.count) placements for \(n) digits")
        }
        if let bad = placements.firstIndex(where: {
            !(0..<photos.shape[0]).contains($0.photo) || !(0...(height - 28)).contains($0.top) || !(0...(width - 28)).contains($0.left)
        }) {
            throw ShapeError(op: "MNISTM.blend", "placement \(bad) \(placements[bad]) does not fit a 28x28 patch in photos of shape \(photos.shape)")
        }
        guard n > 0 else { return Tensor.zeros([0, 3, 28, 28]) }
        return digits.patchAbsoluteDifferences(images: photos, origins: placements.map { ($0.photo, $0.top, $0.left) }, divisor: 255)
    }

    /// Builds the domain from digits (see `blend`), their labels [N] and photos [P, H, W, 3],
    /// with the placements drawn from `seed`.
    public static func build(digits: Tensor, labels: Tensor, photos: Tensor, seed: UInt64) throws -> MNISTM {
        guard labels.shape == [digits.shape.first ?? -1] else {
            throw ShapeError(op: "MNISTM.build", "labels \(labels.shape) do not match digits \(digits.shape)")
        }
        guard photos.rank == 4 else {
            throw ShapeError(op: "MNISTM.build", "photos must be [P, H, W, 3], got \(photos.shape)")
        }
        let places = try placements(count: digits.shape[0], photoCount: photos.shape[0], photoHeight: photos.shape[1],
                                    photoWidth: photos.shape[2], seed: seed)
        return MNISTM(images: try blend(digits: digits, photos: photos, placements: places), labels: labels, placements: places)
    }

    /// Builds the domain from the first `count` digits of an MNIST split (all by default) and
    /// the bundled photo bank (or the data in the given directories).
    public static func load(_ split: MNIST.Split, count: Int? = nil, seed: UInt64,
                            mnistDirectory: URL? = nil, photosDirectory: URL? = nil) throws -> MNISTM {
        let mnist = try MNIST.load(split, directory: mnistDirectory)
        let bank = try PhotoBank.load(directory: photosDirectory)
        let n = min(max(0, count ?? mnist.count), mnist.count)
        let digits = n == mnist.count ? mnist.images : mnist.images.slice(axis: 0, start: 0, end: n)
        let labels = n == mnist.count ? mnist.labels : mnist.labels.slice(axis: 0, start: 0, end: n)
        return try build(digits: digits, labels: labels, photos: bank.photos, seed: seed)
    }
}
