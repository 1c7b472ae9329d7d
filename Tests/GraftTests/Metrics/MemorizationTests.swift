import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct MemorizationTests {
    /// n random 8 x 8 images whose 2-pixel border is zero (so shifts by up to 2 lose nothing).
    func images(_ n: Int, seed: UInt64) -> [[Float]] {
        let rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in
            (0..<64).map { i in (2..<6).contains(i / 8) && (2..<6).contains(i % 8) ? rng.nextFloat() : 0 }
        }
    }

    @Test func anImageAndItsOnePixelShiftAreAtDistanceZero() {
        let layout = ImageLayout(height: 8, width: 8)
        let a = images(1, seed: 1)[0]
        let b = layout.shifted(a, dx: 1, dy: 0)
        let plain = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        #expect(plain > 0)
        let r = Memorization.shiftTolerantDistance(a, b, layout: layout, maxShift: 2)
        #expect(r.distance == 0 && r.shift == PixelShift(dx: 1, dy: 0))
        let up = Memorization.shiftTolerantDistance(a, layout.shifted(a, dx: -2, dy: 1), layout: layout, maxShift: 2)
        #expect(up.distance == 0 && up.shift == PixelShift(dx: -2, dy: 1))
        // Out of range: no shift within 1 pixel reaches a 2-pixel move.
        #expect(Memorization.shiftTolerantDistance(a, layout.shifted(a, dx: 2, dy: 0), layout: layout, maxShift: 1).distance > 0)
    }

    @Test func shiftsFillWithZerosInEveryLayout() {
        let grey = ImageLayout(height: 2, width: 3)
        #expect(grey.shifted([1, 2, 3, 4, 5, 6], dx: 1, dy: 0) == [0, 1, 2, 0, 4, 5])
        #expect(grey.shifted([1, 2, 3, 4, 5, 6], dx: 0, dy: -1) == [4, 5, 6, 0, 0, 0])
        #expect(grey.shifted([1, 2, 3, 4, 5, 6], dx: 5, dy: 0) == [0, 0, 0, 0, 0, 0])
        let rgbLast = ImageLayout(height: 1, width: 2, channels: 2)
        #expect(rgbLast.shifted([1, 2, 3, 4], dx: 1, dy: 0) == [0, 0, 1, 2])
        let rgbFirst = ImageLayout(height: 1, width: 2, channels: 2, channelsFirst: true)
        #expect(rgbFirst.shifted([1, 2, 3, 4], dx: 1, dy: 0) == [0, 1, 0, 3])
    }

    @Test func layoutsAreInferredFromShapes() throws {
        #expect(try ImageLayout.infer(shape: [5, 28, 28], name: "g") == ImageLayout(height: 28, width: 28))
        #expect(try ImageLayout.infer(shape: [5, 784], name: "g") == ImageLayout(height: 28, width: 28))
        #expect(try ImageLayout.infer(shape: [5, 32, 32, 3], name: "g") == ImageLayout(height: 32, width: 32, channels: 3))
        #expect(try ImageLayout.infer(shape: [5, 3, 32, 32], name: "g") == ImageLayout(height: 32, width: 32, channels: 3, channelsFirst: true))
        #expect(thrownText { try ImageLayout.infer(shape: [5, 10], name: "g.npy") }
                == "g.npy: rows of 10 values are not square images; pass images as [n, height, width]")
        #expect(thrownText { try ImageLayout.infer(shape: [5], name: "g.npy") }.contains("got shape [5]"))
    }

    @Test func copiesOfTrainingImagesAreFound() throws {
        let layout = ImageLayout(height: 8, width: 8)
        let train = images(40, seed: 2)
        let test = images(20, seed: 3)
        // Generated: shifted copies of training images 5 and 17, and two fresh, brighter images.
        let fresh = images(2, seed: 4).map { $0.map { $0 * 3 } }
        let generated = [layout.shifted(train[5], dx: 1, dy: -1), layout.shifted(train[17], dx: 0, dy: 2), fresh[0], fresh[1]]
        func tensor(_ rows: [[Float]]) -> Tensor { Tensor(rows.flatMap { $0 }, shape: [rows.count, 8, 8]) }
        let r = try Memorization.evaluate(generated: tensor(generated), training: tensor(train), test: tensor(test), maxShift: 2)
        let shifted = try #require(r.shifted)
        #expect(Array(shifted.indices[0..<2]) == [5, 17] && shifted.distances[0] == 0 && shifted.distances[1] == 0)
        #expect(shifted.shifts[0] == PixelShift(dx: -1, dy: 1) && shifted.shifts[1] == PixelShift(dx: 0, dy: -2))
        #expect(shifted.distances[2] > 0 && shifted.distances[3] > 0)
        #expect(shifted.fractionCloserThanTestMedian == 0.5)
        #expect(r.pixel.distances[0] > 0 && r.pixel.shifts.allSatisfy { $0 == PixelShift(dx: 0, dy: 0) })
        #expect(r.pixel.testMedianDistance! >= shifted.testMedianDistance! && r.pixel.distances[0] > r.pixel.testMedianDistance!)
        // Without a test set, no comparison; with maxShift 0, no shifted matches.
        let plain = try Memorization.evaluate(generated: tensor(generated), training: tensor(train), maxShift: 0)
        let oneShift = try Memorization.evaluate(generated: tensor(generated), training: tensor(train), maxShift: 1)
        #expect(plain.shifted == nil && plain.pixel.testMedianDistance == nil && plain.pixel == oneShift.pixel)
        #expect(r.pixel.withoutTest == plain.pixel)
    }

    @Test func refusesMismatchedImages() {
        let a = Tensor([Float](repeating: 0, count: 2 * 16), shape: [2, 4, 4])
        let b = Tensor([Float](repeating: 0, count: 2 * 9), shape: [2, 3, 3])
        #expect(thrownText { try Memorization.evaluate(generated: a, training: b) } == "generated has 16 features per row, training set has 9")
    }
}

extension NearestTrainingMatches {
    /// The same matches without the test-set comparison.
    var withoutTest: NearestTrainingMatches {
        NearestTrainingMatches(indices: indices, distances: distances, shifts: shifts, medianDistance: medianDistance,
                               testMedianDistance: nil, fractionCloserThanTestMedian: nil)
    }
}
