import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftMetrics

/// `graft eval`'s logic: loading user files, refusing bad ones, and the reports it prints.
@Suite struct EvalFilesTests {
    /// Writes `tensor` as a .npy file in `dir` and returns its path.
    func write(_ tensor: Tensor, _ name: String, in dir: URL, dtype: NPY.DType = .float32) throws -> String {
        let url = dir.appendingPathComponent(name)
        try NPY.write(tensor, to: url, dtype: dtype)
        return url.path
    }

    func fixture(_ name: String) -> String { fixtureURL("metrics/\(name).npy").path }

    @Test func reportsAgreeWithTheLibrary() throws {
        let fid = try EvalFiles.fid(fixture("fid_a"), fixture("fid_b"))
        let direct = try FID.evaluate(metricFixture("fid_a"), metricFixture("fid_b"))
        #expect(fid["fid"] == .number(direct.fid) && fid["features"] == .integer(16))
        #expect(fid.text.hasPrefix("FID: ") && fid.text.contains("features:") && fid.text.contains("16 per row"))
        let json = try JSONSerialization.jsonObject(with: Data(fid.json.utf8)) as! [String: Any]
        #expect(json["metric"] as? String == "fid" && json["fid"] as? Double == direct.fid)

        let kid = try EvalFiles.kid(fixture("kid_a"), fixture("kid_b"), subsets: 3, subsetSize: 50, seed: 4)
        #expect(kid["kid"] == .number(try KID.evaluate(metricFixture("kid_a"), metricFixture("kid_b"), subsets: 3, subsetSize: 50, seed: 4).mean))
        let kidJSON = try JSONSerialization.jsonObject(with: Data(kid.json.utf8)) as! [String: Any]
        #expect((kidJSON["subset_values"] as? [Double])?.count == 3 && !kid.text.contains("subset values"))

        let score = try EvalFiles.classifierScore(fixture("is_logits"), splits: 10, logits: true)
        #expect(score["score"] == .number(try ClassifierScore.evaluate(logits: metricFixture("is_logits"), splits: 10).score))
        #expect(score.text.contains("classes covered:") && score.text.contains("10 of 10"))

        let pr = try EvalFiles.precisionRecall(real: fixture("pr_real"), fake: fixture("pr_fake"))
        #expect(pr["precision"] == .number(try PrecisionRecall.evaluate(real: metricFixture("pr_real"), fake: metricFixture("pr_fake")).precision))

        let parzen = try EvalFiles.parzen(samples: fixture("parzen_samples"), test: fixture("parzen_test"),
                                          validation: fixture("parzen_valid"), sigmas: [0.2, 0.4])
        #expect(parzen["sigmas"] == .numbers([0.2, 0.4]) && parzen.text.contains("nats"))
    }

    @Test func memorizationReadsImagesOfAnyElementType() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rng = RandomGenerator(seed: 5)
        // 10 training images 6 x 6 of bytes with a zero border; generated: image 3 moved one pixel.
        var train = [Float](repeating: 0, count: 10 * 36)
        for i in 0..<10 { for y in 1..<5 { for x in 1..<5 { train[i * 36 + y * 6 + x] = Float(rng.nextInt(below: 256)) } } }
        let layout = ImageLayout(height: 6, width: 6)
        let copy = layout.shifted(Array(train[108..<144]), dx: 1, dy: 1)
        let trainPath = try write(Tensor(train, shape: [10, 6, 6]), "train.npy", in: dir, dtype: .uint8)
        let genPath = try write(Tensor(copy, shape: [1, 6, 6]), "gen.npy", in: dir, dtype: .uint8)
        let r = try EvalFiles.memorization(generated: genPath, training: trainPath, test: trainPath, maxShift: 1)
        #expect(r["shifted_nearest_index"] == .integers([3]) && r["shifted_nearest_distance"] == .numbers([0]))
        #expect(r["shifted_dx"] == .integers([-1]) && r["shifted_dy"] == .integers([-1]))
        #expect(r["shifted_fraction_closer_than_test"] == .number(0))   // the test set is the training set: median 0
        #expect(r.text.contains("shift-tolerant: median nearest-training distance"))
        let flat = try EvalFiles.memorization(generated: genPath, training: trainPath, maxShift: 0)
        #expect(flat["shifted_nearest_index"] == nil && flat["max_shift"] == .integer(0))
        guard case .numbers(let pixel)? = flat["pixel_nearest_distance"] else { Issue.record("no pixel distances"); return }
        #expect(pixel.count == 1 && pixel[0] > 0)
    }

    @Test func badFilesAreRefusedWithTheFileAndRow() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try write(Tensor((0..<12).map(Float.init), shape: [4, 3]), "a.npy", in: dir)
        let wide = try write(Tensor([Float](repeating: 1, count: 8), shape: [2, 4]), "wide.npy", in: dir)
        let cube = try write(Tensor([Float](repeating: 1, count: 8), shape: [2, 2, 2]), "cube.npy", in: dir)
        var values = (0..<12).map(Float.init)
        values[7] = .nan
        let nan = try write(Tensor(values, shape: [4, 3]), "nan.npy", in: dir)
        let missing = dir.appendingPathComponent("missing.npy").path
        #expect(thrownText { try EvalFiles.fid(a, missing) } == "\(missing): no such file")
        #expect(thrownText { try EvalFiles.fid(a, wide) } == "\(a) has 3 features per row, \(wide) has 4")
        #expect(thrownText { try EvalFiles.kid(cube, a) } == "\(cube): expected a matrix [rows, features], got shape [2, 2, 2]")
        #expect(thrownText { try EvalFiles.precisionRecall(real: a, fake: nan) } == "\(nan): row 2 has nan at column 1; every value must be finite")
        #expect(thrownText { try EvalFiles.parzen(samples: a, test: nan, validation: a) }.hasPrefix("\(nan): row 2 has nan"))
        #expect(thrownText { try EvalFiles.classifierScore(a) }.hasPrefix("\(a): row 0 sums to 3.0"))
        #expect(thrownText { try EvalFiles.memorization(generated: a, training: a, maxShift: 1) }
                == "\(a): rows of 3 values are not square images; pass images as [n, height, width]")
        #expect(thrownText { try EvalFiles.fid(dir.path, a) } == "\(dir.path): is a directory, expected a .npy file")
        let junk = dir.appendingPathComponent("junk.npy")
        try Data("not numpy".utf8).write(to: junk)
        #expect(thrownText { try EvalFiles.fid(junk.path, a) }.hasPrefix("\(junk.path): bad magic string at offset 0"))
    }
}
