/// Shape arithmetic shared by the operations: element counts, strides, axes, broadcasting.
enum Shapes {
    /// The number of elements of a shape (1 for a scalar).
    @inline(__always)
    static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    /// Row-major strides, in elements.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc &*= shape[i]
        }
        return s
    }

    /// Turns a possibly negative axis into 0..<rank, or throws naming the op.
    static func axis(_ axis: Int, rank: Int, op: String) throws(ShapeError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < Swift.max(rank, 1) else {
            throw ShapeError(op: op, "axis \(axis) is out of range for a tensor of rank \(rank)")
        }
        return a
    }

    /// Normalises a list of axes (negative allowed), sorted and without duplicates.
    static func axes(_ axes: [Int], rank: Int, op: String) throws(ShapeError) -> [Int] {
        var out: [Int] = []
        for a in axes {
            let n = try axis(a, rank: rank, op: op)
            if out.contains(n) { throw ShapeError(op: op, "axis \(a) is given twice in \(axes)") }
            out.append(n)
        }
        return out.sorted()
    }

    /// The broadcast shape of two shapes (NumPy rules), or an error naming both shapes.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws(ShapeError) -> [Int] {
        if a == b { return a }
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else {
                throw ShapeError(op: op, "shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast together (axis \(i): \(da) vs \(db))")
            }
        }
        return out
    }

    /// Whether `shape` can be broadcast to `target`.
    static func canBroadcast(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let off = target.count - shape.count
        for i in 0..<shape.count where shape[i] != 1 && shape[i] != target[i + off] { return false }
        return true
    }
}
