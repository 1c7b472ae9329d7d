import Testing
@testable import Graft
@testable import GraftNN

/// A small model with nested modules, an array of modules and a buffer.
final class TinyNet: Module {
    let encoder = Sequential(Linear(4, 3), Tanh(), Linear(3, 2))
    let heads = [Linear(2, 1), Linear(2, 5, bias: false)]
    let norm = BatchNorm1d(2)
    var scale = Tensor([1]).requiringGrad()
    let notAModule = 3
    func callAsFunction(_ x: Tensor) -> [Tensor] {
        let h = norm(encoder(x)) * scale
        return heads.map { $0(h) }
    }
}

@Suite struct ModuleTests {
    @Test func namesFollowPropertiesAndPositions() {
        let net = TinyNet()
        let names = net.namedParameters().map(\.name)
        #expect(names == ["scale", "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                          "heads.0.weight", "heads.0.bias", "heads.1.weight", "norm.weight", "norm.bias"])
        #expect(net.namedBuffers().map(\.name) == ["norm.runningMean", "norm.runningVar"])
        #expect(net.parameterCount == 1 + 12 + 3 + 6 + 2 + 2 + 1 + 10 + 2 + 2)
        #expect(net.namedModules().map(\.name).contains("encoder.2"))
    }

    @Test func trainEvalAndFreeze() {
        let net = TinyNet()
        net.eval()
        #expect(net.namedModules().allSatisfy { !$0.module.isTraining })
        net.encoder.train()
        #expect(net.encoder.isTraining && !net.norm.isTraining)
        net.freeze(prefix: "encoder")
        #expect(net.namedParameters().filter { !$0.tensor.requiresGrad }.map(\.name)
                == ["encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias"])
        net.unfreeze()
        #expect(net.trainableParameters().count == net.parameters().count)
        // A frozen layer gets no gradient; the rest do.
        net.train()
        net.encoder.freeze()
        let out = net(Tensor.randn([8, 4]))
        (out[0].sum() + out[1].sum()).backward()
        #expect(net.encoder.parameters().allSatisfy { $0.grad == nil })
        #expect(net.heads[0].weight.grad != nil)
    }

    @Test func stateDictRoundTrip() throws {
        let a = TinyNet(), b = TinyNet()
        _ = a(Tensor.randn([8, 4]))  // moves the running statistics
        try b.load(stateDict: a.stateDict())
        for ((n1, t1), (n2, t2)) in zip(a.namedState(), b.namedState()) {
            #expect(n1 == n2 && t1.scalars == t2.scalars)
        }
        // The load copied values: changing a leaves b alone.
        a.scale.assign(Tensor([7]))
        #expect(b.scale.item != 7)
    }

    @Test func loadReportsKeysAndRefusesShapes() throws {
        let net = TinyNet()
        var state = net.stateDict()
        state["extra.weight"] = Tensor([1])
        state["scale"] = nil
        #expect(throws: StateDictError.keysMismatch(missing: ["scale"], unexpected: ["extra.weight"])) {
            try net.load(stateDict: state)
        }
        let report = try net.load(stateDict: state, strict: false)
        #expect(report == LoadReport(missingKeys: ["scale"], unexpectedKeys: ["extra.weight"]))
        var wrong = net.stateDict()
        let before = net.heads[0].weight.scalars
        wrong["heads.0.weight"] = Tensor.zeros([2, 1])
        wrong["heads.0.bias"] = Tensor([42])
        do {
            try net.load(stateDict: wrong)
            Issue.record("expected a shape error")
        } catch {
            #expect("\(error)" == "cannot load 'heads.0.weight': the module has shape [1, 2], the state dictionary [2, 1]")
        }
        #expect(net.heads[0].weight.scalars == before && net.heads[0].bias!.item != 42)  // nothing was copied
    }
}
