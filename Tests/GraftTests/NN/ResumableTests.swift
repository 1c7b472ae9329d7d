import Foundation
import Testing
@testable import Graft
@testable import GraftNN

@Suite struct ResumableTests {
    /// A trainer-like object: a network, its optimizer, a generator and two plain counters.
    final class Toy: ResumableComposite {
        let net = Linear(3, 2, generator: RandomGenerator(seed: 5))
        lazy var optimizer = Adam(net.namedParameters(), learningRate: 0.1)
        let random = RandomGenerator(seed: 9)
        var steps = 0
        var baseline: Double? = nil

        var resumableParts: [(name: String, part: any Resumable)] {
            [("net", net), ("optimizer", optimizer), ("random", random),
             ("steps", ResumableValue(get: { self.steps }, set: { (value: Int) in
                 guard value >= 0 else { throw ResumableStateError("negative step count \(value)") }
                 self.steps = value
             })),
             ("baseline", ResumableValue(get: { self.baseline }, set: { self.baseline = $0 }))]
        }

        func step() throws {
            let x = Tensor((0..<12).map { Float($0) / 10 }, shape: [4, 3])
            let loss = net(x).square().mean()
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            steps += 1
            baseline = (baseline ?? 0) + Double(random.nextFloat())
        }
    }

    @Test func aCompositeSavesEveryPartAndRestoresThemExactly() throws {
        let toy = Toy()
        try toy.step()
        let saved = toy.resumableState().copied()
        #expect(saved.texts["steps.json"] == "1" && saved.texts["baseline.json"] != nil)
        #expect(saved.tensors.keys.contains { $0.hasPrefix("net.") } && saved.tensors.keys.contains { $0.hasPrefix("optimizer.") })
        try toy.step()
        let after = (toy.net.weight.scalars, toy.baseline)
        let other = Toy()
        try other.restore(saved)
        #expect(other.steps == 1 && other.baseline == saved.texts["baseline.json"].flatMap(Double.init))
        try other.step()
        #expect(other.net.weight.scalars == after.0 && other.baseline == after.1 && other.steps == 2)
    }

    @Test func aPartThatDoesNotFitIsNamed() throws {
        var state = Toy().resumableState()
        state.texts["steps.json"] = "-3"
        #expect { try Toy().restore(state) } throws: { "\($0)".contains("'steps'") && "\($0)".contains("negative step count -3") }
        state.texts["steps.json"] = "\"many\""
        #expect { try Toy().restore(state) } throws: { "\($0)".contains("'steps'") }
        var missing = Toy().resumableState()
        missing.tensors = missing.tensors.filter { !$0.key.hasPrefix("net.") }
        #expect { try Toy().restore(missing) } throws: { "\($0)".contains("'net'") }
    }
}
