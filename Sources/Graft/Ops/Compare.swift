/// Comparisons (1 where true, 0 where false; no gradient) and `where`.
extension Tensor {
    /// 1 where self == other.
    public func eq(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(.eq, self, other, op: "eq") }
    /// 1 where self != other.
    public func ne(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(.ne, self, other, op: "ne") }
    /// 1 where self < other.
    public func lt(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(.lt, self, other, op: "lt") }
    /// 1 where self <= other.
    public func le(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(.le, self, other, op: "le") }
    /// 1 where self > other.
    public func gt(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(.gt, self, other, op: "gt") }
    /// 1 where self >= other.
    public func ge(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(.ge, self, other, op: "ge") }
    /// 1 where self == value.
    public func eq(_ value: Float) -> Tensor { eq(Tensor(value)) }
    /// 1 where self != value.
    public func ne(_ value: Float) -> Tensor { ne(Tensor(value)) }
    /// 1 where self < value.
    public func lt(_ value: Float) -> Tensor { lt(Tensor(value)) }
    /// 1 where self <= value.
    public func le(_ value: Float) -> Tensor { le(Tensor(value)) }
    /// 1 where self > value.
    public func gt(_ value: Float) -> Tensor { gt(Tensor(value)) }
    /// 1 where self >= value.
    public func ge(_ value: Float) -> Tensor { ge(Tensor(value)) }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere, with broadcasting of all
    /// three; gradients flow to `a` and `b` through the positions they were picked at.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = checked { () throws(ShapeError) in
            try Shapes.broadcast(try Shapes.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        }
        let out = a.backend.select(condition, a, b, shape: shape)
        let mask = condition.detach()
        return record(out, op: "where", inputs: [a, b]) { ctx in
            let zero = Tensor(0)
            return [ctx.needsGrad[0] ? Tensor.where(mask, ctx.grad, zero).sumTo(ctx.inputs[0].shape) : nil,
                    ctx.needsGrad[1] ? Tensor.where(mask, zero, ctx.grad).sumTo(ctx.inputs[1].shape) : nil]
        }
    }
}
