import Foundation
import Testing
@testable import Graft
@testable import GraftData

@Suite struct MNISTMTests {
    @Test func blendsDigitsWithPhotoPatches() throws {
        let m = try MNISTM.load(.test, count: 300, seed: 7)
        #expect(m.images.shape == [300, 3, 28, 28] && m.labels.shape == [300] && m.count == 300)
        #expect(m.images.min().item >= 0 && m.images.max().item <= 1)
        let mnist = try MNIST.load(.test)
        #expect(m.labels.scalars == Array(mnist.labels.scalars[0..<300]))
        // Hand check: image n, channel c, pixel (y, x) is |photo / 255 - digit|.
        let bank = try PhotoBank.load()
        for (n, y, x, c) in [(0, 0, 0, 0), (5, 14, 14, 1), (299, 27, 27, 2), (17, 10, 20, 0)] {
            let p = m.placements[n]
            let photo = bank.photos[p.photo, p.top + y, p.left + x, c]
            let digit = mnist.images[n, 0, y, x]
            #expect(m.images[n, c, y, x] == abs(photo / 255 - digit), "image \(n) pixel (\(y), \(x)) channel \(c)")
        }
        // Patches lie inside the photos, and come from many photos and positions.
        #expect(m.placements.allSatisfy { (0..<32).contains($0.photo) && (0...164).contains($0.top) && (0...164).contains($0.left) })
        #expect(Set(m.placements.map(\.photo)).count == 32 && Set(m.placements.map(\.top)).count > 100)
    }

    @Test func deterministicForASeedWhateverTheThreadCount() throws {
        let digits = Tensor.uniform([600, 1, 28, 28], generator: RandomGenerator(seed: 1))
        let photos = Tensor.uniform([3, 40, 50, 3], generator: RandomGenerator(seed: 2)) * 255
        let labels = Tensor.zeros([600])
        let a = try MNISTM.build(digits: digits, labels: labels, photos: photos, seed: 11)
        let b = try ComputeThreads.with(1) { try MNISTM.build(digits: digits, labels: labels, photos: photos, seed: 11) }
        let c = try MNISTM.build(digits: digits, labels: labels, photos: photos, seed: 12)
        #expect(a.images.scalars == b.images.scalars && a.placements == b.placements)
        #expect(a.images.scalars != c.images.scalars && a.placements != c.placements)
        #expect(a.placements.allSatisfy { $0.top <= 12 && $0.left <= 22 })
        // A [N, 28, 28] digit tensor gives the same images.
        let flat = try MNISTM.blend(digits: digits.reshape([600, 28, 28]), photos: photos, placements: a.placements)
        #expect(flat.scalars == a.images.scalars)
        // A 28x28 photo has one position.
        let exact = try MNISTM.placements(count: 5, photoCount: 1, photoHeight: 28, photoWidth: 28, seed: 3)
        #expect(exact.allSatisfy { $0 == MNISTM.Placement(photo: 0, top: 0, left: 0) })
    }

    @Test func refusesBadShapes() {
        let digits = Tensor.zeros([2, 1, 28, 28]), photos = Tensor.zeros([1, 30, 30, 3])
        let places = [MNISTM.Placement(photo: 0, top: 2, left: 0), MNISTM.Placement(photo: 0, top: 0, left: 0)]
        #expect(thrownText { try MNISTM.blend(digits: digits, photos: photos, placements: places) } == "accepted")
        #expect(thrownText { try MNISTM.blend(digits: Tensor.zeros([2, 3, 28, 28]), photos: photos, placements: places) }.contains("digits must be"))
        #expect(thrownText { try MNISTM.blend(digits: digits, photos: Tensor.zeros([1, 27, 30, 3]), placements: places) }.contains("photos must be"))
        #expect(thrownText { try MNISTM.blend(digits: digits, photos: photos, placements: [places[0]]) }.contains("1 placements for 2 digits"))
        let outside = [MNISTM.Placement(photo: 0, top: 3, left: 0), places[1]]
        #expect(thrownText { try MNISTM.blend(digits: digits, photos: photos, placements: outside) }.contains("placement 0"))
        #expect(thrownText { try MNISTM.build(digits: digits, labels: Tensor.zeros([3]), photos: photos, seed: 0) }.contains("labels [3]"))
    }
}
