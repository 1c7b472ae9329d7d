import Graft

extension Tensor {
    /// The rows (slices along axis 0) at `indices`, stacked in that order into a new tensor of
    /// shape [indices.count, ...] (through `indexSelect`): the batch of a data set held as one
    /// tensor. Throws a `DataError` for a scalar tensor or an index outside 0..<shape[0].
    public func rows(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw DataError("<tensor>", "rows(_:) needs a tensor with at least one axis, got a scalar") }
        let n = shape[0]
        guard n <= 1 << 24 else { throw DataError("<tensor>", "rows(_:) supports up to 2^24 rows (exact Float32 indices), the tensor has \(n)") }
        if let bad = indices.firstIndex(where: { !(0..<n).contains($0) }) {
            throw DataError("<tensor>", "row index \(indices[bad]) at position \(bad) is outside 0..<\(n)")
        }
        return indexSelect(axis: 0, indices: Tensor(indices: indices))
    }
}
