import Graft

/// One LSTM step (Hochreiter and Schmidhuber 1997, with forget gates; PyTorch's gate order
/// i, f, g, o): c' = σ(f) c + σ(i) tanh(g), h' = σ(o) tanh(c'), gates = W_ih x + b_ih + W_hh h + b_hh.
public final class LSTMCell: Module {
    /// Input-to-gates weight [4H, I] and bias [4H].
    public var weightIH: Tensor, biasIH: Tensor
    /// Hidden-to-gates weight [4H, H] and bias [4H].
    public var weightHH: Tensor, biasHH: Tensor
    /// Input and hidden sizes.
    public let inputSize: Int, hiddenSize: Int

    /// A cell from `inputSize` to `hiddenSize`, every weight uniform in ±1/sqrt(H) (PyTorch).
    public init(_ inputSize: Int, _ hiddenSize: Int, generator: RandomGenerator = .global) {
        precondition(inputSize > 0 && hiddenSize > 0, "LSTMCell needs positive sizes")
        self.inputSize = inputSize; self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = Init.recurrent(gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, generator: generator)
        super.init()
    }

    /// The input's contribution to the gates, W_ih x + b_ih + b_hh, for [..., I].
    public func inputGates(_ x: Tensor) -> Tensor { matmul(x, weightIH, transposeB: true) + (biasIH + biasHH) }

    /// One step from precomputed input gates [B, 4H] and the state (h, c) [B, H].
    public func step(inputGates: Tensor, state: (h: Tensor, c: Tensor)) -> (h: Tensor, c: Tensor) {
        let gates = inputGates + matmul(state.h, weightHH, transposeB: true)
        let parts = gates.split(sizes: [hiddenSize, hiddenSize, hiddenSize, hiddenSize], axis: 1)
        let i = parts[0].sigmoid(), f = parts[1].sigmoid(), g = parts[2].tanh(), o = parts[3].sigmoid()
        let c = f * state.c + i * g
        return (o * c.tanh(), c)
    }

    /// One step from an input [B, I] and the state (zeros when nil).
    public func callAsFunction(_ x: Tensor, state: (h: Tensor, c: Tensor)? = nil) -> (h: Tensor, c: Tensor) {
        let b = x.shape[0]
        let s = state ?? (Tensor.zeros([b, hiddenSize]), Tensor.zeros([b, hiddenSize]))
        return step(inputGates: inputGates(x), state: s)
    }
}

/// One GRU step (Cho et al. 2014; PyTorch's form): r = σ(W_ir x + b_ir + W_hr h + b_hr),
/// z likewise, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 - z) ⊙ n + z ⊙ h.
public final class GRUCell: Module {
    /// Input-to-gates weight [3H, I] and bias [3H] (order r, z, n).
    public var weightIH: Tensor, biasIH: Tensor
    /// Hidden-to-gates weight [3H, H] and bias [3H].
    public var weightHH: Tensor, biasHH: Tensor
    /// Input and hidden sizes.
    public let inputSize: Int, hiddenSize: Int

    /// A cell from `inputSize` to `hiddenSize`, every weight uniform in ±1/sqrt(H).
    public init(_ inputSize: Int, _ hiddenSize: Int, generator: RandomGenerator = .global) {
        precondition(inputSize > 0 && hiddenSize > 0, "GRUCell needs positive sizes")
        self.inputSize = inputSize; self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = Init.recurrent(gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, generator: generator)
        super.init()
    }

    /// The input's contribution to the gates, W_ih x + b_ih, for [..., I].
    public func inputGates(_ x: Tensor) -> Tensor { matmul(x, weightIH, transposeB: true) + biasIH }

    /// One step from precomputed input gates [B, 3H] and the hidden state [B, H].
    public func step(inputGates: Tensor, h: Tensor) -> Tensor {
        let hh = matmul(h, weightHH, transposeB: true) + biasHH
        let xs = inputGates.split(sizes: [hiddenSize, hiddenSize, hiddenSize], axis: 1)
        let hs = hh.split(sizes: [hiddenSize, hiddenSize, hiddenSize], axis: 1)
        let r = (xs[0] + hs[0]).sigmoid(), z = (xs[1] + hs[1]).sigmoid()
        let n = (xs[2] + r * hs[2]).tanh()
        return (1 - z) * n + z * h
    }

    /// One step from an input [B, I] and the hidden state (zeros when nil).
    public func callAsFunction(_ x: Tensor, h: Tensor? = nil) -> Tensor {
        step(inputGates: inputGates(x), h: h ?? Tensor.zeros([x.shape[0], hiddenSize]))
    }
}

/// Which positions of a padded batch are real: one length per sequence.
struct SequenceMask {
    let steps: [Tensor?]   // [B, 1] of 1/0 per step, nil where every sequence is still running

    init(lengths: [Int]?, batch: Int, time: Int) {
        guard let lengths else { steps = [Tensor?](repeating: nil, count: time); return }
        precondition(lengths.count == batch && lengths.allSatisfy { $0 >= 0 && $0 <= time },
                     "lengths \(lengths) must give one length in 0...\(time) per sequence of the batch of \(batch)")
        steps = (0..<time).map { t in
            lengths.allSatisfy { $0 > t } ? nil : Tensor(lengths.map { $0 > t ? 1 : 0 }, shape: [batch, 1])
        }
    }

    /// new where the mask is 1, old where it is 0.
    static func blend(_ mask: Tensor?, new: Tensor, old: Tensor) -> Tensor {
        guard let mask else { return new }
        return old + (new - old) * mask
    }
}

/// A multi-layer LSTM over batch-first sequences [B, T, I] → outputs [B, T, H] and the final
/// state (h, c), each [layers, B, H]. With `lengths`, positions past a sequence's length give
/// zero outputs and leave its state unchanged (the final state is the one at its last step).
public final class LSTM: Module {
    /// One cell per layer.
    public let cells: [LSTMCell]
    /// Dropout between layers (training mode only).
    public let dropout: Dropout

    /// `layers` stacked LSTMs.
    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, dropout: Float = 0, generator: RandomGenerator = .global) {
        precondition(layers >= 1, "LSTM needs at least one layer")
        cells = (0..<layers).map { LSTMCell($0 == 0 ? inputSize : hiddenSize, hiddenSize, generator: generator) }
        self.dropout = Dropout(dropout, generator: generator)
        super.init()
    }

    /// Runs the sequence from `state` (zeros when nil).
    public func callAsFunction(_ x: Tensor, state: (h: Tensor, c: Tensor)? = nil, lengths: [Int]? = nil)
        -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        precondition(x.rank == 3 && x.shape[2] == cells[0].inputSize, "LSTM needs [B, T, \(cells[0].inputSize)], got \(x.shape)")
        let (b, t) = (x.shape[0], x.shape[1])
        let hsz = cells[0].hiddenSize
        let mask = SequenceMask(lengths: lengths, batch: b, time: t)
        var layerInput = x
        var finalH: [Tensor] = [], finalC: [Tensor] = []
        for (l, cell) in cells.enumerated() {
            var h = state.map { $0.h.select(axis: 0, index: l) } ?? Tensor.zeros([b, hsz])
            var c = state.map { $0.c.select(axis: 0, index: l) } ?? Tensor.zeros([b, hsz])
            let pre = cell.inputGates(layerInput)                                   // [B, T, 4H] in one GEMM
            var outputs: [Tensor] = []
            for step in 0..<t {
                let (nh, nc) = cell.step(inputGates: pre.select(axis: 1, index: step), state: (h, c))
                let m = mask.steps[step]
                h = SequenceMask.blend(m, new: nh, old: h)
                c = SequenceMask.blend(m, new: nc, old: c)
                outputs.append(m.map { nh * $0 } ?? nh)
            }
            finalH.append(h); finalC.append(c)
            layerInput = Tensor.stack(outputs, axis: 1)
            if l + 1 < cells.count { layerInput = dropout(layerInput) }
        }
        return (layerInput, (Tensor.stack(finalH, axis: 0), Tensor.stack(finalC, axis: 0)))
    }
}

/// A multi-layer GRU over batch-first sequences [B, T, I] → outputs [B, T, H] and the final
/// hidden state [layers, B, H]; `lengths` as for `LSTM`.
public final class GRU: Module {
    /// One cell per layer.
    public let cells: [GRUCell]
    /// Dropout between layers (training mode only).
    public let dropout: Dropout

    /// `layers` stacked GRUs.
    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, dropout: Float = 0, generator: RandomGenerator = .global) {
        precondition(layers >= 1, "GRU needs at least one layer")
        cells = (0..<layers).map { GRUCell($0 == 0 ? inputSize : hiddenSize, hiddenSize, generator: generator) }
        self.dropout = Dropout(dropout, generator: generator)
        super.init()
    }

    /// Runs the sequence from `h` (zeros when nil).
    public func callAsFunction(_ x: Tensor, h initial: Tensor? = nil, lengths: [Int]? = nil) -> (output: Tensor, h: Tensor) {
        precondition(x.rank == 3 && x.shape[2] == cells[0].inputSize, "GRU needs [B, T, \(cells[0].inputSize)], got \(x.shape)")
        let (b, t) = (x.shape[0], x.shape[1])
        let hsz = cells[0].hiddenSize
        let mask = SequenceMask(lengths: lengths, batch: b, time: t)
        var layerInput = x
        var finalH: [Tensor] = []
        for (l, cell) in cells.enumerated() {
            var h = initial.map { $0.select(axis: 0, index: l) } ?? Tensor.zeros([b, hsz])
            let pre = cell.inputGates(layerInput)
            var outputs: [Tensor] = []
            for step in 0..<t {
                let nh = cell.step(inputGates: pre.select(axis: 1, index: step), h: h)
                let m = mask.steps[step]
                h = SequenceMask.blend(m, new: nh, old: h)
                outputs.append(m.map { nh * $0 } ?? nh)
            }
            finalH.append(h)
            layerInput = Tensor.stack(outputs, axis: 1)
            if l + 1 < cells.count { layerInput = dropout(layerInput) }
        }
        return (layerInput, Tensor.stack(finalH, axis: 0))
    }
}
