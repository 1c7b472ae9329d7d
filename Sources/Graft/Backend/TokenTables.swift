/// The token tables of a `TokenWindowTables`, one [V, w, maps] table per window width, in the
/// memory the backend that made them chose (huge pages on the CPU). Opaque to the ops: they
/// pass it back to that backend.
struct TokenTables: @unchecked Sendable {
    /// Per width, the table's first float.
    let pointers: [UnsafeMutablePointer<Float>]
    /// The memory behind `pointers`, which lives as long as they are used.
    let buffers: [HugePageBuffer]

    /// Width `i`'s table.
    @inline(__always)
    subscript(i: Int) -> UnsafeMutablePointer<Float> { pointers[i] }
}
