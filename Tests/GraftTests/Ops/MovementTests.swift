import Testing
@testable import Graft

@Suite struct MovementTests {
    let x = Tensor((0..<24).map { Float($0) }, shape: [2, 3, 4])

    @Test func reshapeAndPermute() {
        #expect(x.reshape([4, -1]).shape == [4, 6])
        #expect(x.permute(2, 0, 1).shape == [4, 2, 3])
        #expect(x.permute(2, 0, 1)[1, 1, 2] == x[1, 2, 1])
        #expect(x.transpose(0, 2)[3, 1, 0] == x[0, 1, 3])
        #expect(Tensor([[1, 2], [3, 4]]).T.scalars == [1, 3, 2, 4])
        #expect(x.unsqueeze(axis: 1).shape == [2, 1, 3, 4])
        #expect(x.unsqueeze(axis: -1).shape == [2, 3, 4, 1])
        #expect(x.reshape([2, 1, 12]).squeeze().shape == [2, 12])
        #expect(x.flatten(startAxis: 1).shape == [2, 12])
        #expect(Tensor([1, 2]).reshape([2, 1]).expand([2, 3]).scalars == [1, 1, 1, 2, 2, 2])
    }

    @Test func sliceConcatStackSplitPad() {
        #expect(x.slice(axis: 1, start: 1).shape == [2, 2, 4])
        #expect(x.slice(axis: 2, start: 0, end: 4, step: 2).scalars.prefix(4) == [0, 2, 4, 6])
        #expect(x.slice(axis: -1, start: -1).scalars == [3, 7, 11, 15, 19, 23])
        #expect(x.select(axis: 0, index: 1)[0, 0] == 12)
        let c = Tensor.concat([Tensor([[1, 2]]), Tensor([[3, 4], [5, 6]])], axis: 0)
        #expect(c.shape == [3, 2] && c.scalars == [1, 2, 3, 4, 5, 6])
        let c1 = Tensor.concat([Tensor([[1], [2]]), Tensor([[3, 4], [5, 6]])], axis: 1)
        #expect(c1.scalars == [1, 3, 4, 2, 5, 6])
        let s = Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], axis: 1)
        #expect(s.shape == [2, 2] && s.scalars == [1, 3, 2, 4])
        let parts = x.split(sizes: [1, 3], axis: 2)
        #expect(parts[0].shape == [2, 3, 1] && parts[1].shape == [2, 3, 3])
        #expect(x.chunk(2, axis: 1).map(\.shape) == [[2, 2, 4], [2, 1, 4]])
        let p = Tensor([[1, 2]]).pad([(1, 0), (0, 2)], value: -1)
        #expect(p.shape == [2, 4] && p.scalars == [-1, -1, -1, -1, 1, 2, -1, -1])
    }

    @Test func gradients() {
        let t = sample([2, 3, 4])
        checkGradients([t]) { $0[0].reshape([6, 4]) }
        checkGradients([t]) { $0[0].permute(2, 0, 1) }
        checkGradients([t]) { $0[0].transpose(0, 1) }
        checkGradients([t]) { $0[0].slice(axis: 2, start: 1, end: 4, step: 2) }
        checkGradients([t]) { $0[0].pad([(1, 1), (0, 2), (3, 0)], value: 5) }
        checkGradients([t, sample([2, 1, 4], seed: 3)]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
        checkGradients([sample([2, 3]), sample([2, 3], seed: 2)]) { Tensor.stack([$0[0], $0[1]], axis: 2) }
        // Overlapping windows, a window and a full use, and every time step of a sequence: the
        // engine adds window gradients into one buffer per input.
        checkGradients([sample([5, 3])]) { x in
            x[0].slice(axis: 0, start: 0, end: 3) * x[0].slice(axis: 0, start: 2, end: 5) + x[0].slice(axis: 0, start: 1, end: 4).exp()
        }
        checkGradients([sample([2, 6, 3])]) { x in
            let steps = (0..<6).map { x[0].select(axis: 1, index: $0) * Float($0 + 1) }
            return Tensor.stack(steps, axis: 0).tanh() + x[0].sum()
        }
        checkGradients([t]) { x in
            let parts = x[0].split(sizes: [1, 2], axis: 1)
            return parts[0] * 2 + parts[1].sum(axis: 1, keepDims: true)
        }
    }
}
