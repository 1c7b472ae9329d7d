import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct L2SPTests {
    /// A source and a target with the same backbone shapes and a different head (3 vs 2 classes).
    func models() -> (source: Sequential, target: Sequential) {
        let gs = RandomGenerator(seed: 1), gt = RandomGenerator(seed: 2)
        return (Sequential(Linear(3, 4, generator: gs), Tanh(), Linear(4, 3, generator: gs)),
                Sequential(Linear(3, 4, generator: gt), Tanh(), Linear(4, 2, generator: gt)))
    }

    /// Ω by the formula in Double.
    func expected(_ target: Module, _ reference: [String: Tensor], transferred: Set<String>, alpha: Double, beta: Double) -> Double {
        var total = 0.0
        for (name, w) in target.namedParameters() {
            if transferred.contains(name) {
                total += alpha / 2 * zip(w.scalars, reference[name]!.scalars).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            } else {
                total += beta / 2 * w.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
            }
        }
        return total
    }

    @Test func penaltyMatchesTheFormula() throws {
        let (source, target) = models()
        let reg = L2SP(source: source, alpha: 0.3, beta: 0.02)
        // Without prefixes, the parameters with a same-shaped reference are the transferred ones.
        let (transferred, new) = try reg.partition(target)
        #expect(transferred.map(\.name) == ["0.weight", "0.bias"])
        #expect(new.map(\.name) == ["2.weight", "2.bias"])
        let value = try reg.penalty(of: target).item
        let want = expected(target, source.stateDict(), transferred: ["0.weight", "0.bias"], alpha: 0.3, beta: 0.02)
        #expect(abs(Double(value) - want) < 1e-5 * max(1, want))
        // At the starting point the transferred part vanishes and only β/2 ‖w_new‖² remains.
        let copy = Sequential(Linear(3, 4), Tanh(), Linear(4, 2))
        try copy.load(stateDict: target.stateDict())
        let atStart = L2SP(source: copy, alpha: 5, beta: 0.02, transferredPrefixes: ["0"])
        let onlyNew = expected(target, copy.stateDict(), transferred: ["0.weight", "0.bias"], alpha: 5, beta: 0.02)
        #expect(abs(Double(try atStart.penalty(of: target).item) - onlyNew) < 1e-6)
    }

    @Test func gradientMatchesTheClosedFormAndFiniteDifferences() throws {
        let (source, target) = models()
        let reg = L2SP(source: source, alpha: 0.7, beta: 0.1, transferredPrefixes: ["0"])
        let names = target.namedParameters().map(\.name), params = target.parameters()
        let autodiff = grad(of: [try reg.penalty(of: target)], wrt: params)
        let closed = try reg.gradient(of: target)
        for (i, name) in names.enumerated() { expectNear(autodiff[i].scalars, closed[name]!.scalars, tol: 1e-6) }
        // Central differences in Double: Ω is quadratic, so they are exact up to rounding.
        let ref = source.stateDict()
        for (k, w) in params.enumerated() {
            for i in 0..<w.count {
                let saved = w.storage.pointer[i]
                w.storage.pointer[i] = saved + 1e-2
                let up = expected(target, ref, transferred: ["0.weight", "0.bias"], alpha: 0.7, beta: 0.1)
                w.storage.pointer[i] = saved - 1e-2
                let down = expected(target, ref, transferred: ["0.weight", "0.bias"], alpha: 0.7, beta: 0.1)
                w.storage.pointer[i] = saved
                let numeric = (up - down) / 2e-2
                #expect(abs(Double(autodiff[k].scalars[i]) - numeric) < 1e-4, "\(names[k])[\(i)]: \(autodiff[k].scalars[i]) vs \(numeric)")
            }
        }
    }

    @Test func referenceIsASnapshotAndMismatchesAreRefused() throws {
        let (source, target) = models()
        let reg = L2SP(source: source, alpha: 1, beta: 0)
        let before = try reg.penalty(of: target).item
        noGrad { for p in source.parameters() { p.assign(p + 1) } }
        #expect(try reg.penalty(of: target).item == before)
        // The head's shape differs from the source's: naming it as transferred is an error.
        #expect(throws: TransferError.shapeMismatch(key: "2.weight", source: [3, 4], target: [2, 4])) {
            try L2SP(source: source, alpha: 1, beta: 0, transferredPrefixes: ["2"]).penalty(of: target)
        }
        #expect(throws: TransferError.missingKey(key: "0.weight", in: "L2-SP reference")) {
            try L2SP(reference: [:], alpha: 1, beta: 0, transferredPrefixes: ["0"]).penalty(of: target)
        }
    }

    @Test func plainL2PullsEverythingToZero() {
        let (_, target) = models()
        let value = L2Penalty(coefficient: 0.4).penalty(of: target).item
        let want = 0.2 * target.parameters().reduce(0.0) { $0 + $1.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } }
        #expect(abs(Double(value) - want) < 1e-5)
        let params = target.parameters()
        let g = grad(of: [L2Penalty(coefficient: 0.4, excludedPrefixes: ["2"]).penalty(of: target)], wrt: params)
        expectNear(g[0].scalars, params[0].scalars.map { 0.4 * $0 }, tol: 1e-6)
        #expect(g[2].scalars.allSatisfy { $0 == 0 })
    }
}
