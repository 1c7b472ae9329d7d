import Testing
@testable import Graft

@Suite struct IndexTests {
    @Test func gatherScatterIndexSelect() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let idx = Tensor(indices: [2, 0, 1, 1], shape: [2, 2])
        #expect(x.gather(axis: 1, index: idx).scalars == [3, 1, 5, 5])
        let rows = Tensor(indices: [1, 0, 1], shape: [1, 3])
        #expect(x.gather(axis: 0, index: rows).scalars == [4, 2, 6])
        let added = Tensor.zeros([2, 3]).scatterAdd(axis: 1, index: idx, source: Tensor([1, 2, 3, 4], shape: [2, 2]))
        #expect(added.scalars == [2, 0, 1, 0, 7, 0])
        #expect(x.indexSelect(axis: 1, indices: Tensor(indices: [2, 2, 0])).scalars == [3, 3, 1, 6, 6, 4])
        #expect(Tensor.oneHot(Tensor(indices: [1, 0]), classes: 3).scalars == [0, 1, 0, 1, 0, 0])
        let table = Tensor([0, 0, 1, 1, 2, 2], shape: [3, 2])
        #expect(table.embedding(Tensor(indices: [2, 0, 1, 2], shape: [2, 2])).shape == [2, 2, 2])
        #expect(table.embedding(Tensor(indices: [2, 0])).scalars == [2, 2, 0, 0])
    }

    @Test func badIndicesAreRefusedWithTheirPosition() {
        // The checks behind gather/embedding: a fractional or out-of-range index names its position.
        let idx = Tensor([0, 1.5])
        #expect(Int(exactly: idx.scalars[1]) == nil)
        #expect(Tensor.fits([2, 2], in: [2, 3]) && !Tensor.fits([3, 2], in: [2, 3]))
    }

    @Test func gradients() {
        let idx = Tensor(indices: [2, 0, 1, 1, 0, 0], shape: [2, 3])
        checkGradients([sample([2, 4])]) { $0[0].gather(axis: 1, index: idx) }
        checkGradients([sample([2, 3]), sample([2, 3], seed: 2)]) { $0[0].scatterAdd(axis: 1, index: idx, source: $0[1]) }
        checkGradients([sample([4, 3])]) { $0[0].indexSelect(axis: 0, indices: Tensor(indices: [3, 0, 3])) }
        checkGradients([sample([5, 2])]) { $0[0].embedding(Tensor(indices: [1, 4, 1, 0], shape: [2, 2])) }
        checkGradients([sample([2, 2])]) { $0[0].indexAdd(axis: 0, indices: Tensor(indices: [2, 2]), into: [3, 2]) }
    }

    @Test func embeddingGradientAccumulatesRepeatedRows() {
        let table = Tensor.zeros([3, 2]).requiringGrad()
        table.embedding(Tensor(indices: [1, 1, 2])).sum().backward()
        #expect(table.grad!.scalars == [0, 0, 2, 2, 1, 1])
    }
}
