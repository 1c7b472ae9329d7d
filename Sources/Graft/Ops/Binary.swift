/// Broadcasting arithmetic: +, -, *, /, pow, maximum, minimum, with their gradients.
extension Tensor {
    /// Applies a broadcasting primitive of a's backend after checking the shapes, naming `op` on failure.
    static func broadcastBinary(_ kind: BinaryOp, _ a: Tensor, _ b: Tensor, op: String) -> Tensor {
        let shape = checked { () throws(ShapeError) in try Shapes.broadcast(a.shape, b.shape, op: op) }
        return a.backend.binary(kind, a, b, shape: shape)
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(.add, a, b, op: "add")
        return record(out, op: "add", inputs: [a, b]) { ctx in
            [ctx.needsGrad[0] ? ctx.grad.sumTo(ctx.inputs[0].shape) : nil,
             ctx.needsGrad[1] ? ctx.grad.sumTo(ctx.inputs[1].shape) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(.sub, a, b, op: "sub")
        return record(out, op: "sub", inputs: [a, b]) { ctx in
            [ctx.needsGrad[0] ? ctx.grad.sumTo(ctx.inputs[0].shape) : nil,
             ctx.needsGrad[1] ? (-ctx.grad).sumTo(ctx.inputs[1].shape) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(.mul, a, b, op: "mul")
        return record(out, op: "mul", inputs: [a, b]) { ctx in
            let (a, b) = (ctx.inputs[0], ctx.inputs[1])
            return [ctx.needsGrad[0] ? (ctx.grad * b).sumTo(a.shape) : nil,
                    ctx.needsGrad[1] ? (ctx.grad * a).sumTo(b.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = broadcastBinary(.div, a, b, op: "div")
        return record(out, op: "div", inputs: [a, b]) { ctx in
            let (a, b) = (ctx.inputs[0], ctx.inputs[1])
            return [ctx.needsGrad[0] ? (ctx.grad / b).sumTo(a.shape) : nil,
                    ctx.needsGrad[1] ? (-(ctx.grad * a) / (b * b)).sumTo(b.shape) : nil]
        }
    }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        let out = x.unaryRaw(.neg)
        return record(out, op: "neg", inputs: [x]) { ctx in [-ctx.grad] }
    }

    /// Elementwise maximum with broadcasting; the gradient goes to `a` where a >= b.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = broadcastBinary(.max, a, b, op: "maximum")
        return record(out, op: "maximum", inputs: [a, b]) { ctx in
            let mask = ctx.inputs[0].ge(ctx.inputs[1])
            return [ctx.needsGrad[0] ? (ctx.grad * mask).sumTo(ctx.inputs[0].shape) : nil,
                    ctx.needsGrad[1] ? (ctx.grad * (1 - mask)).sumTo(ctx.inputs[1].shape) : nil]
        }
    }

    /// Elementwise minimum with broadcasting; the gradient goes to `a` where a <= b.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = broadcastBinary(.min, a, b, op: "minimum")
        return record(out, op: "minimum", inputs: [a, b]) { ctx in
            let mask = ctx.inputs[0].le(ctx.inputs[1])
            return [ctx.needsGrad[0] ? (ctx.grad * mask).sumTo(ctx.inputs[0].shape) : nil,
                    ctx.needsGrad[1] ? (ctx.grad * (1 - mask)).sumTo(ctx.inputs[1].shape) : nil]
        }
    }

    /// a^b elementwise with broadcasting (a > 0 where b is not an integer).
    public func pow(_ exponent: Tensor) -> Tensor {
        let shape = checked { () throws(ShapeError) in try Shapes.broadcast(self.shape, exponent.shape, op: "pow") }
        let out = backend.binary(.pow, self, exponent, shape: shape)
        return Tensor.record(out, op: "pow", inputs: [self, exponent]) { ctx in
            let (a, b) = (ctx.inputs[0], ctx.inputs[1])
            let y = a.pow(b)
            return [ctx.needsGrad[0] ? (ctx.grad * b * a.pow(b - 1)).sumTo(a.shape) : nil,
                    ctx.needsGrad[1] ? (ctx.grad * y * a.log()).sumTo(b.shape) : nil]
        }
    }

    /// x^p elementwise for a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        let out: Tensor
        if p == 2 { out = backend.binary(.mul, self, self, shape: shape) }
        else if p == 1 { out = copy() }
        else if p == 0.5 { out = unaryRaw(.sqrt) }
        else { out = unaryRaw(.pow(p)) }
        return Tensor.record(out, op: "pow", inputs: [self]) { ctx in
            let x = ctx.inputs[0]
            if p == 2 { return [ctx.grad * x * 2] }
            return [ctx.grad * x.pow(p - 1) * p]
        }
    }

    /// x * x.
    public func square() -> Tensor { pow(2) }

    /// Sum with a constant.
    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    /// Sum with a constant.
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    /// Difference with a constant.
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    /// Difference with a constant.
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    /// Product with a constant.
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    /// Product with a constant.
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    /// Quotient by a constant.
    public static func / (a: Tensor, b: Float) -> Tensor { a * Tensor(1 / b) }
    /// A constant divided elementwise.
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }
}

/// Elementwise maximum with broadcasting (free-function spelling).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.maximum(a, b) }
/// Elementwise minimum with broadcasting (free-function spelling).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { Tensor.minimum(a, b) }
