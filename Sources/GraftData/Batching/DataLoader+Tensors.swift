import Graft

extension DataLoader where Batch == [Tensor] {
    /// A loader whose batches are the same rows of each of `tensors` (for example images and
    /// labels): `[t.rows(indices) for t in tensors]`. The tensors must have the same number of
    /// rows, otherwise a `DataError` says which differs. They are read on the worker thread: do
    /// not change them in place while an iterator is alive.
    public convenience init(tensors: [Tensor], sampler: any BatchSampler, prefetch: Int = 1) throws {
        if let first = tensors.first {
            guard first.rank >= 1 else { throw DataError("<tensor>", "tensor 0 is a scalar; data tensors need a row axis") }
            for (i, t) in tensors.enumerated().dropFirst() where t.rank < 1 || t.shape[0] != first.shape[0] {
                throw DataError("<tensor>", "tensor \(i) of shape \(t.shape) does not have the \(first.shape[0]) rows of tensor 0")
            }
        }
        self.init(sampler: sampler, prefetch: prefetch) { indices in try tensors.map { try $0.rows(indices) } }
    }
}
