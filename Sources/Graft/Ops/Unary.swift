/// Elementwise functions with their gradients. Backward functions reuse the saved output
/// where the derivative is a function of it, and recompute from the input when the
/// backward pass is itself recorded (gradients of gradients).
extension Tensor {
    /// e^x (SIMD polynomial, relative error about 1e-7).
    public func exp() -> Tensor {
        let out = Pointwise.mapArray(self, expArray)
        return Tensor.record(out, op: "exp", inputs: [self], saveOutput: true) { ctx in
            [ctx.grad * (ctx.createGraph ? ctx.inputs[0].exp() : ctx.output)]
        }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let out = Pointwise.mapArray(self, logArray)
        return Tensor.record(out, op: "log", inputs: [self]) { ctx in [ctx.grad / ctx.inputs[0]] }
    }

    /// Square root.
    public func sqrt() -> Tensor {
        let out = Pointwise.unary(SqrtKernel.self, self)
        return Tensor.record(out, op: "sqrt", inputs: [self], saveOutput: true) { ctx in
            [ctx.grad * 0.5 / (ctx.createGraph ? ctx.inputs[0].sqrt() : ctx.output)]
        }
    }

    /// Absolute value (gradient 0 at 0).
    public func abs() -> Tensor {
        let out = Pointwise.unary(AbsKernel.self, self)
        return Tensor.record(out, op: "abs", inputs: [self]) { ctx in [ctx.grad * ctx.inputs[0].sign()] }
    }

    /// -1, 0 or 1 (no gradient).
    public func sign() -> Tensor { Pointwise.unary(SignKernel.self, self) }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        let out = Pointwise.mapArray(self, tanhArray)
        return Tensor.record(out, op: "tanh", inputs: [self], saveOutput: true) { ctx in
            let y = ctx.createGraph ? ctx.inputs[0].tanh() : ctx.output
            return [ctx.grad * (1 - y * y)]
        }
    }

    /// The logistic function 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        let out = Pointwise.mapArray(self, sigmoidArray)
        return Tensor.record(out, op: "sigmoid", inputs: [self], saveOutput: true) { ctx in
            let y = ctx.createGraph ? ctx.inputs[0].sigmoid() : ctx.output
            return [ctx.grad * y * (1 - y)]
        }
    }

    /// Swift.max(x, 0).
    public func relu() -> Tensor {
        let out = Pointwise.unary(ReluKernel.self, self)
        return Tensor.record(out, op: "relu", inputs: [self]) { ctx in
            // One pass (g where x > 0) unless the backward itself is recorded.
            if ctx.createGraph { return [ctx.grad * ctx.inputs[0].gt(0)] }
            return [Pointwise.binary(PassWherePositiveKernel.self, ctx.grad, ctx.inputs[0], outShape: ctx.grad.shape)]
        }
    }

    /// x where x > 0, else slope * x.
    public func leakyRelu(_ slope: Float = 0.01) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let px = storage.pointer, po = out.storage.pointer
        ThreadPool.shared.parallelChunks(total: count, minChunk: parallelElementThreshold) { r in
            let s = SIMD8<Float>(repeating: slope)
            var i = r.lowerBound
            while i + 8 <= r.upperBound {
                let v = UnsafeRawPointer(px + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(po + i).storeBytes(of: (v * s).replacing(with: v, where: v .> 0), as: SIMD8<Float>.self)
                i += 8
            }
            while i < r.upperBound { po[i] = px[i] > 0 ? px[i] : slope * px[i]; i += 1 }
        }
        return Tensor.record(out, op: "leakyRelu", inputs: [self]) { ctx in
            let positive = ctx.inputs[0].gt(0)
            return [ctx.grad * (positive * (1 - slope) + slope)]
        }
    }

    /// log(1 + e^x), computed stably.
    public func softplus() -> Tensor {
        let out = Pointwise.mapArray(self, softplusArray)
        return Tensor.record(out, op: "softplus", inputs: [self]) { ctx in [ctx.grad * ctx.inputs[0].sigmoid()] }
    }

    /// GELU, x * Phi(x) with the exact normal CDF (Hendrycks and Gimpel 2016).
    public func gelu() -> Tensor {
        let out = Pointwise.mapArray(self, geluArray)
        return Tensor.record(out, op: "gelu", inputs: [self]) { ctx in [ctx.grad * ctx.inputs[0].geluDerivative()] }
    }

    /// d gelu / dx = Phi(x) + x phi(x); differentiable, for gradients of gradients.
    func geluDerivative() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let px = storage.pointer, po = out.storage.pointer
        let invSqrt2: Float = 0.70710678118654752
        let invSqrt2Pi: Float = 0.39894228040143268
        for i in 0..<count {
            let x = px[i]
            po[i] = 0.5 * (1 + libmErf(x * invSqrt2)) + x * invSqrt2Pi * libmExp(-0.5 * x * x)
        }
        return Tensor.record(out, op: "geluDerivative", inputs: [self]) { ctx in
            let x = ctx.inputs[0]
            let phi = (x * x * -0.5).exp() * invSqrt2Pi
            return [ctx.grad * phi * (2 - x * x)]
        }
    }

    /// Limits values to [min, max]; the gradient is zero where a limit applied.
    public func clamp(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let px = storage.pointer, po = out.storage.pointer
        for i in 0..<count { po[i] = Swift.min(Swift.max(px[i], lower), upper) }
        return Tensor.record(out, op: "clamp", inputs: [self]) { ctx in
            let x = ctx.inputs[0]
            return [ctx.grad * x.ge(lower) * x.le(upper)]
        }
    }
}
