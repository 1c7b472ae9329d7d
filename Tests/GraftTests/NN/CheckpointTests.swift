import Foundation
import Testing
@testable import Graft
@testable import GraftNN

/// The committed fixtures, written by Python's safetensors (scripts/make_safetensors_fixtures.py).
func fixtureURL(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// A fresh temporary directory for one test.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct CheckpointTests {
    @Test func readsWhatPythonWrote() throws {
        let (t, meta) = try SafeTensors.read(fixtureURL("python_f32.safetensors"))
        #expect(meta == ["format": "pt"])
        #expect(t["layer.weight"]!.shape == [2, 3] && t["layer.weight"]!.scalars == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(t["layer.bias"]!.scalars == [-1.5, 0.25, 3])
        #expect(t["scalar"]!.shape == [] && t["scalar"]!.item == 7)
        #expect(t["empty"]!.shape == [0, 2])
        let (m, _) = try SafeTensors.read(fixtureURL("python_mixed.safetensors"))
        #expect(m["f64"]!.scalars == [1.25, -2.5] && m["f16"]!.scalars == [0.5, 65504])
        #expect(m["i64"]!.shape == [1, 2] && m["i64"]!.scalars == [3, -4] && m["u8"]!.scalars == [0, 255])
    }

    @Test func writesTheExactBytesPythonWrites() throws {
        let python = try [UInt8](Data(contentsOf: fixtureURL("python_f32.safetensors")))
        let (tensors, metadata) = try SafeTensors.parse(python)
        #expect(SafeTensors.serialize(tensors, metadata: metadata) == python)
    }

    @Test func modelAndOptimizerRoundTrip() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("ckpt.safetensors")
        let a = Sequential(Linear(3, 4), BatchNorm1d(4), Linear(4, 2))
        let opt = Adam(a.namedParameters(), learningRate: 0.01)
        let x = Tensor.randn([6, 3])
        for _ in 0..<2 { opt.zeroGrad(); a(x).square().mean().backward(); opt.step() }
        try Checkpoint.save(model: a, optimizer: opt, step: 2, to: url)
        let b = Sequential(Linear(3, 4), BatchNorm1d(4), Linear(4, 2))
        let optB = Adam(b.namedParameters(), learningRate: 0.01)
        #expect(try Checkpoint.load(from: url, into: b, optimizer: optB) == 2)
        for ((n1, t1), (n2, t2)) in zip(a.namedState(), b.namedState()) { #expect(n1 == n2 && t1.scalars == t2.scalars) }
        for (m, o) in [(a, opt), (b, optB)] { o.zeroGrad(); m(x).square().mean().backward(); o.step() }
        #expect(a.parameters().map(\.scalars) == b.parameters().map(\.scalars))
        // A model of another shape is refused, naming the key, and keeps its values.
        let c = Sequential(Linear(3, 5), BatchNorm1d(5), Linear(5, 2))
        let before = c.parameters().map(\.scalars)
        do { try Checkpoint.load(from: url, into: c); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("0.weight") && "\(error)".contains(url.path))
        }
        #expect(c.parameters().map(\.scalars) == before)
    }

    @Test func corruptFilesAreRefusedClearly() throws {
        let good = SafeTensors.serialize(["w": Tensor([1, 2, 3])], metadata: ["step": "1"])
        func reason(_ bytes: [UInt8]) -> String {
            do { _ = try SafeTensors.parse(bytes, path: "f.safetensors"); return "accepted" } catch { return "\(error)" }
        }
        #expect(reason(Array(good.prefix(5))).contains("truncated: 5 bytes"))
        #expect(reason(Array(good.prefix(20))).contains("truncated: header"))
        #expect(reason(Array(good.dropLast(4))).contains("data_offsets"))
        var hugeHeader = good
        hugeHeader.replaceSubrange(0..<8, with: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
        #expect(reason(hugeHeader).contains("exceeds the limit"))
        var badJSON = good
        badJSON[9] = UInt8(ascii: "[")
        #expect(reason(badJSON).contains("not valid JSON") || reason(badJSON).contains("not a JSON object"))
        func withHeader(_ json: String, data: Int) -> [UInt8] {
            var h = Array(json.utf8)
            while h.count % 8 != 0 { h.append(0x20) }
            var out: [UInt8] = []
            withUnsafeBytes(of: UInt64(h.count).littleEndian) { out.append(contentsOf: $0) }
            return out + h + [UInt8](repeating: 0, count: data)
        }
        #expect(reason(withHeader(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}}"#, data: 12)).contains("needs 16 bytes"))
        #expect(reason(withHeader(#"{"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, data: 4)).contains("unsupported dtype Q7"))
        #expect(reason(withHeader(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: 4)).contains("invalid dimension"))
        #expect(reason(withHeader(#"{"w":{"dtype":"F32","shape":[2000000000,2000000000],"data_offsets":[0,4]}}"#, data: 4)).contains("larger than"))
        #expect(reason(withHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
                                  + #""b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 4)).contains("gap or overlap"))
        #expect(reason(withHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 8)).contains("cover 4"))
        #expect(reason(good) == "accepted")
        // Every truncation of a valid file is refused, never crashes.
        for n in 0..<good.count { #expect(reason(Array(good.prefix(n))) != "accepted") }
    }

    @Test func atomicWriteKeepsTheOldFileOnFailure() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("w.safetensors")
        try SafeTensors.write(["w": Tensor([1])], to: url)
        // Writing into a directory that is a file fails, and the existing checkpoint survives.
        let blocked = url.appendingPathComponent("inner.safetensors")
        #expect(throws: CheckpointError.self) { try SafeTensors.write(["w": Tensor([2])], to: blocked) }
        #expect(try SafeTensors.read(url).tensors["w"]!.scalars == [1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["w.safetensors"])
        #expect(throws: CheckpointError.self) { try SafeTensors.read(dir.appendingPathComponent("missing")) }
    }
}
