import Testing
@testable import Graft

@Suite struct TensorTests {
    @Test func creationAndAccess() {
        let t = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(t.shape == [2, 3] && t.count == 6 && t.rank == 2)
        #expect(t[1, 2] == 6 && t[0, 1] == 2)
        #expect(Tensor(3).shape == [] && Tensor(3).item == 3)
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(Tensor.full([2], 7).scalars == [7, 7])
        #expect(Tensor.arange(5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor([[1, 2], [3, 4]]).shape == [2, 2])
        #expect(Tensor.zeros([0, 3]).count == 0)
    }

    @Test func randomCreationIsSeeded() {
        let a = Tensor.randn([1000], generator: RandomGenerator(seed: 7))
        let b = Tensor.randn([1000], generator: RandomGenerator(seed: 7))
        #expect(a.scalars == b.scalars)
        let m = a.mean().item, s = a.std().item
        #expect(abs(m) < 0.1 && abs(s - 1) < 0.1)
        let u = Tensor.uniform([1000], low: 2, high: 3, generator: RandomGenerator(seed: 1))
        #expect(u.scalars.allSatisfy { $0 >= 2 && $0 < 3 })
    }

    @Test func shapeErrorsNameTheOpAndBothShapes() {
        #expect(throws: ShapeError(op: "add", "shapes [2, 3] and [4] cannot be broadcast together (axis 1: 3 vs 4)")) {
            try Shapes.broadcast([2, 3], [4], op: "add")
        }
        do {
            _ = try Shapes.broadcast([5, 2], [3, 2], op: "mul")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("mul") && error.description.contains("[5, 2]") && error.description.contains("[3, 2]"))
        }
        #expect(throws: ShapeError.self) { try Tensor.zeros([2, 3]).resolvedShape([4, 2]) }
        #expect(throws: ShapeError.self) { try Shapes.axis(3, rank: 2, op: "sum") }
        #expect(throws: ShapeError.self) { try Tensor.zeros([2]).flatIndex([2]) }
    }

    @Test func broadcastShapes() throws {
        #expect(try Shapes.broadcast([2, 1, 3], [4, 1], op: "t") == [2, 4, 3])
        #expect(try Shapes.broadcast([], [3], op: "t") == [3])
        #expect(try Shapes.broadcast([0, 1], [1, 5], op: "t") == [0, 5])
    }

    @Test func assignAndCopyAreIndependent() {
        let a = Tensor([1, 2, 3])
        let b = a.copy()
        a.assign(Tensor([4, 5, 6]))
        #expect(b.scalars == [1, 2, 3] && a.scalars == [4, 5, 6])
        let r = a.reshape([3, 1])
        a.withUnsafeMutableBufferPointer { $0[0] = 9 }
        #expect(r[0, 0] == 9)
    }
}
