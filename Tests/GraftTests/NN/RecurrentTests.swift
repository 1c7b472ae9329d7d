import Foundation
import Testing
@testable import Graft
@testable import GraftNN

@Suite struct RecurrentTests {
    func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    /// Sets every weight of a one-unit cell to known values.
    func setLSTM(_ cell: LSTMCell) {
        cell.weightIH.assign(Tensor([0.5, -0.3, 0.8, 0.1], shape: [4, 1]))
        cell.weightHH.assign(Tensor([0.2, 0.4, -0.6, 0.3], shape: [4, 1]))
        cell.biasIH.assign(Tensor([0.1, 0.2, 0.0, -0.1]))
        cell.biasHH.assign(Tensor([0.0, 0.1, 0.05, 0.0]))
    }

    @Test func lstmMatchesHandComputation() {
        let lstm = LSTM(inputSize: 1, hiddenSize: 1)
        setLSTM(lstm.cells[0])
        let xs: [Double] = [0.5, -1.0, 2.0]
        // By hand: gates = W_ih x + b_ih + W_hh h + b_hh, order i, f, g, o.
        var h = 0.0, c = 0.0
        var expected: [Double] = []
        for x in xs {
            let i = sigmoid(0.5 * x + 0.1 + 0.2 * h + 0.0)
            let f = sigmoid(-0.3 * x + 0.2 + 0.4 * h + 0.1)
            let g = Foundation.tanh(0.8 * x + 0.0 + -0.6 * h + 0.05)
            let o = sigmoid(0.1 * x - 0.1 + 0.3 * h + 0.0)
            c = f * c + i * g
            h = o * Foundation.tanh(c)
            expected.append(h)
        }
        let (out, state) = lstm(Tensor(xs.map(Float.init), shape: [1, 3, 1]))
        expectNear(out.scalars, expected.map(Float.init), tol: 1e-6)
        expectNear(state.h.scalars, [Float(h)], tol: 1e-6)
        expectNear(state.c.scalars, [Float(c)], tol: 1e-6)
    }

    @Test func gruMatchesHandComputation() {
        let gru = GRU(inputSize: 1, hiddenSize: 1)
        let cell = gru.cells[0]
        cell.weightIH.assign(Tensor([0.5, -0.3, 0.8], shape: [3, 1]))
        cell.weightHH.assign(Tensor([0.2, 0.4, -0.6], shape: [3, 1]))
        cell.biasIH.assign(Tensor([0.1, 0.2, 0.0]))
        cell.biasHH.assign(Tensor([0.0, 0.1, 0.05]))
        var h = 0.3
        var expected: [Double] = []
        for x in [1.0, -0.5] {
            let r = sigmoid(0.5 * x + 0.1 + 0.2 * h + 0.0)
            let z = sigmoid(-0.3 * x + 0.2 + 0.4 * h + 0.1)
            let n = Foundation.tanh(0.8 * x + 0.0 + r * (-0.6 * h + 0.05))
            h = (1 - z) * n + z * h
            expected.append(h)
        }
        let (out, last) = gru(Tensor([1, -0.5], shape: [1, 2, 1]), h: Tensor([0.3], shape: [1, 1, 1]))
        expectNear(out.scalars, expected.map(Float.init), tol: 1e-6)
        expectNear(last.scalars, [Float(h)], tol: 1e-6)
    }

    @Test func lengthsFreezeFinishedSequences() {
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, layers: 2)
        let x = Tensor.randn([2, 4, 2])
        let (out, state) = lstm(x, lengths: [4, 2])
        // The short sequence's outputs past its length are zero, and its final state is the
        // state after its own last step (as if run alone on its 2 steps).
        #expect(out.select(axis: 0, index: 1).slice(axis: 0, start: 2).scalars.allSatisfy { $0 == 0 })
        let alone = lstm(x.slice(axis: 0, start: 1, end: 2).slice(axis: 1, start: 0, end: 2))
        expectNear(state.h.select(axis: 1, index: 1).scalars, alone.state.h.select(axis: 1, index: 0).scalars)
        expectNear(state.c.select(axis: 1, index: 1).scalars, alone.state.c.select(axis: 1, index: 0).scalars)
        let gru = GRU(inputSize: 2, hiddenSize: 3)
        let (gout, gh) = gru(x, lengths: [1, 4])
        #expect(gout.select(axis: 0, index: 0).slice(axis: 0, start: 1).scalars.allSatisfy { $0 == 0 })
        expectNear(gh.select(axis: 1, index: 0).scalars,
                   gru(x.slice(axis: 0, start: 0, end: 1).slice(axis: 1, start: 0, end: 1)).h.select(axis: 1, index: 0).scalars)
    }

    @Test func initialStateAndGradients() {
        let lstm = LSTM(inputSize: 2, hiddenSize: 2)
        let h0 = sample([1, 1, 2], seed: 3), c0 = sample([1, 1, 2], seed: 4)
        checkGradients([sample([1, 3, 2]), h0, c0, lstm.cells[0].weightHH]) { t in
            lstm(t[0], state: (t[1], t[2])).output
        }
        let gru = GRU(inputSize: 2, hiddenSize: 2, layers: 2)
        checkGradients([sample([2, 3, 2]), gru.cells[1].weightIH]) { t in gru(t[0]).output }
    }
}
