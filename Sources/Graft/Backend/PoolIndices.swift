/// The argmax positions of a max-pooling op (within each input plane, -1 where a window held
/// only padding), freed with the graph that uses them. Opaque to the ops: they pass it back to
/// the backend that made it.
final class PoolIndices: @unchecked Sendable {
    /// The positions, one per pooling output.
    let pointer: UnsafeMutablePointer<Int32>
    /// The number of positions.
    let count: Int
    /// Takes ownership of `pointer` (allocated with `UnsafeMutablePointer.allocate`).
    init(pointer: UnsafeMutablePointer<Int32>, count: Int) { self.pointer = pointer; self.count = count }
    deinit { pointer.deallocate() }
}
