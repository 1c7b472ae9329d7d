/// Elementwise functions with their gradients. Backward functions reuse the saved output
/// where the derivative is a function of it, and recompute from the input when the
/// backward pass is itself recorded (gradients of gradients).
extension Tensor {
    /// Applies a unary primitive of this tensor's backend (unrecorded).
    func unaryRaw(_ op: UnaryOp) -> Tensor { backend.unary(op, self) }

    /// e^x (SIMD polynomial, relative error about 1e-7).
    public func exp() -> Tensor {
        Tensor.record(unaryRaw(.exp), op: "exp", inputs: [self], saveOutput: true) { ctx in
            [ctx.grad * (ctx.createGraph ? ctx.inputs[0].exp() : ctx.output)]
        }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        Tensor.record(unaryRaw(.log), op: "log", inputs: [self]) { ctx in [ctx.grad / ctx.inputs[0]] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        Tensor.record(unaryRaw(.sqrt), op: "sqrt", inputs: [self], saveOutput: true) { ctx in
            [ctx.grad * 0.5 / (ctx.createGraph ? ctx.inputs[0].sqrt() : ctx.output)]
        }
    }

    /// Absolute value (gradient 0 at 0).
    public func abs() -> Tensor {
        Tensor.record(unaryRaw(.abs), op: "abs", inputs: [self]) { ctx in [ctx.grad * ctx.inputs[0].sign()] }
    }

    /// -1, 0 or 1 (no gradient).
    public func sign() -> Tensor { unaryRaw(.sign) }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        Tensor.record(unaryRaw(.tanh), op: "tanh", inputs: [self], saveOutput: true) { ctx in
            let y = ctx.createGraph ? ctx.inputs[0].tanh() : ctx.output
            return [ctx.grad * (1 - y * y)]
        }
    }

    /// The logistic function 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        Tensor.record(unaryRaw(.sigmoid), op: "sigmoid", inputs: [self], saveOutput: true) { ctx in
            let y = ctx.createGraph ? ctx.inputs[0].sigmoid() : ctx.output
            return [ctx.grad * y * (1 - y)]
        }
    }

    /// Swift.max(x, 0).
    public func relu() -> Tensor {
        Tensor.record(unaryRaw(.relu), op: "relu", inputs: [self]) { ctx in
            // One pass (g where x > 0) unless the backward itself is recorded.
            if ctx.createGraph { return [ctx.grad * ctx.inputs[0].gt(0)] }
            let (g, x) = (ctx.grad, ctx.inputs[0])
            return [g.backend.binary(.passWherePositive, g, x, shape: g.shape)]
        }
    }

    /// x where x > 0, else slope * x. One fused pass forward (as a composite of primitives,
    /// maximum(x, slope * x), it would cost two); the gradient is composed of primitives.
    public func leakyRelu(_ slope: Float = 0.01) -> Tensor {
        Tensor.record(unaryRaw(.leakyRelu(slope: slope)), op: "leakyRelu", inputs: [self]) { ctx in
            let positive = ctx.inputs[0].gt(0)
            return [ctx.grad * (positive * (1 - slope) + slope)]
        }
    }

    /// log(1 + e^x), computed stably in one fused pass; the gradient is sigmoid(x).
    public func softplus() -> Tensor {
        Tensor.record(unaryRaw(.softplus), op: "softplus", inputs: [self]) { ctx in [ctx.grad * ctx.inputs[0].sigmoid()] }
    }

    /// GELU, x * Phi(x) with the exact normal CDF (Hendrycks and Gimpel 2016).
    public func gelu() -> Tensor {
        Tensor.record(unaryRaw(.gelu), op: "gelu", inputs: [self]) { ctx in [ctx.grad * ctx.inputs[0].geluDerivative()] }
    }

    /// d gelu / dx = Phi(x) + x phi(x); differentiable, for gradients of gradients.
    func geluDerivative() -> Tensor {
        let invSqrt2Pi: Float = 0.39894228040143268
        return Tensor.record(unaryRaw(.geluDerivative), op: "geluDerivative", inputs: [self]) { ctx in
            let x = ctx.inputs[0]
            let phi = (x * x * -0.5).exp() * invSqrt2Pi
            return [ctx.grad * phi * (2 - x * x)]
        }
    }

    /// Limits values to [min, max]; the gradient is zero where a limit applied (it passes at
    /// the limits themselves). A composite: maximum with the lower limit, then minimum with the
    /// upper one, so it has no gradient rule of its own.
    public func clamp(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        var out = self
        if lower > -.infinity { out = Tensor.maximum(out, Tensor(lower)) }
        if upper < .infinity { out = Tensor.minimum(out, Tensor(upper)) }
        return out === self ? Tensor.record(copy(), op: "clamp", inputs: [self]) { ctx in [ctx.grad] } : out
    }
}
