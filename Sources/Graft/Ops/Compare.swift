/// Comparisons (1 where true, 0 where false; no gradient) and `where`.
extension Tensor {
    /// 1 where self == other.
    public func eq(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(EqKernel.self, self, other, op: "eq") }
    /// 1 where self != other.
    public func ne(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(NeKernel.self, self, other, op: "ne") }
    /// 1 where self < other.
    public func lt(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(LtKernel.self, self, other, op: "lt") }
    /// 1 where self <= other.
    public func le(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(LeKernel.self, self, other, op: "le") }
    /// 1 where self > other.
    public func gt(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(GtKernel.self, self, other, op: "gt") }
    /// 1 where self >= other.
    public func ge(_ other: Tensor) -> Tensor { Tensor.broadcastBinary(GeKernel.self, self, other, op: "ge") }
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
        let oc = broadcastOffsets(condition.shape, to: shape)
        let oa = broadcastOffsets(a.shape, to: shape)
        let ob = broadcastOffsets(b.shape, to: shape)
        let out = Tensor(uninitializedShape: shape)
        let pc = condition.storage.pointer, pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
        for i in 0..<out.count {
            po[i] = pc[Int(oc[i])] != 0 ? pa[Int(oa[i])] : pb[Int(ob[i])]
        }
        let mask = condition.detach()
        return record(out, op: "where", inputs: [a, b]) { ctx in
            let zero = Tensor(0)
            return [ctx.needsGrad[0] ? Tensor.where(mask, ctx.grad, zero).sumTo(ctx.inputs[0].shape) : nil,
                    ctx.needsGrad[1] ? Tensor.where(mask, zero, ctx.grad).sumTo(ctx.inputs[1].shape) : nil]
        }
    }
}
