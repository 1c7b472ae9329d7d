import Testing
@testable import Graft

@Suite struct PatchDifferencesTests {
    @Test func differencesPlanesWithScaledPatches() {
        var r = TestRandom(state: 5)
        let images = Tensor(r.floats(2 * 5 * 6 * 3).map { abs($0) * 255 }, shape: [2, 5, 6, 3])
        let planes = Tensor(r.floats(2 * 2 * 3).map(abs), shape: [2, 2, 3])
        let origins = [(image: 1, top: 3, left: 2), (image: 0, top: 0, left: 3)]
        let out = planes.patchAbsoluteDifferences(images: images, origins: origins, divisor: 255)
        #expect(out.shape == [2, 3, 2, 3])
        for (i, o) in origins.enumerated() {
            for c in 0..<3 {
                for y in 0..<2 {
                    for x in 0..<3 {
                        #expect(out[i, c, y, x] == abs(images[o.image, o.top + y, o.left + x, c] / 255 - planes[i, y, x]))
                    }
                }
            }
        }
    }
}
