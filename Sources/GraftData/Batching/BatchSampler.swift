/// Decides which example indices make up each batch of an epoch.
public protocol BatchSampler: Sendable {
    /// The index batches of epoch `epoch`, in order. Must depend only on the sampler and
    /// `epoch` (not on earlier calls), so that a resumed run gets the same batches.
    func batches(epoch: Int) -> [[Int]]
}
