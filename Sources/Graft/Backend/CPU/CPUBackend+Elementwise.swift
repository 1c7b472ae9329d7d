/// Elementwise primitives of the CPU backend: one switch per call picks a loop specialised for
/// the op (`Pointwise` with a kernel type, or an array kernel such as the fast exp).
extension CPUBackend {
    func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor {
        switch op {
        case .neg: return Pointwise.unary(NegKernel.self, x)
        case .abs: return Pointwise.unary(AbsKernel.self, x)
        case .sign: return Pointwise.unary(SignKernel.self, x)
        case .sqrt: return Pointwise.unary(SqrtKernel.self, x)
        case .relu: return Pointwise.unary(ReluKernel.self, x)
        case .exp: return Pointwise.mapArray(x, expArray)
        case .log: return Pointwise.mapArray(x, logArray)
        case .tanh: return Pointwise.mapArray(x, tanhArray)
        case .sigmoid: return Pointwise.mapArray(x, sigmoidArray)
        case .softplus: return Pointwise.mapArray(x, softplusArray)
        case .gelu: return Pointwise.mapArray(x, geluArray)
        case .geluDerivative: return geluDerivative(x)
        case let .leakyRelu(slope): return leakyRelu(x, slope)
        case let .pow(p):
            let out = Tensor(uninitializedShape: x.shape)
            let px = x.storage.pointer, po = out.storage.pointer
            for i in 0..<x.count { po[i] = libmPow(px[i], p) }
            return out
        }
    }

    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Tensor {
        switch op {
        case .add: return Pointwise.binary(AddKernel.self, a, b, outShape: shape)
        case .sub: return Pointwise.binary(SubKernel.self, a, b, outShape: shape)
        case .mul: return Pointwise.binary(MulKernel.self, a, b, outShape: shape)
        case .div: return Pointwise.binary(DivKernel.self, a, b, outShape: shape)
        case .max: return Pointwise.binary(MaxKernel.self, a, b, outShape: shape)
        case .min: return Pointwise.binary(MinKernel.self, a, b, outShape: shape)
        case .pow: return Pointwise.binary(PowKernel.self, a, b, outShape: shape)
        case .eq: return Pointwise.binary(EqKernel.self, a, b, outShape: shape)
        case .ne: return Pointwise.binary(NeKernel.self, a, b, outShape: shape)
        case .lt: return Pointwise.binary(LtKernel.self, a, b, outShape: shape)
        case .le: return Pointwise.binary(LeKernel.self, a, b, outShape: shape)
        case .gt: return Pointwise.binary(GtKernel.self, a, b, outShape: shape)
        case .ge: return Pointwise.binary(GeKernel.self, a, b, outShape: shape)
        case .passWherePositive: return Pointwise.binary(PassWherePositiveKernel.self, a, b, outShape: shape)
        }
    }

    func addInPlace(_ a: Tensor, _ b: Tensor) { Pointwise.addInPlace(a, b) }

    func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Tensor {
        let oc = broadcastOffsets(condition.shape, to: shape)
        let oa = broadcastOffsets(a.shape, to: shape)
        let ob = broadcastOffsets(b.shape, to: shape)
        let out = Tensor(uninitializedShape: shape)
        let pc = condition.storage.pointer, pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
        for i in 0..<out.count {
            po[i] = pc[Int(oc[i])] != 0 ? pa[Int(oa[i])] : pb[Int(ob[i])]
        }
        return out
    }

    func expand(_ x: Tensor, to shape: [Int]) -> Tensor {
        Pointwise.binary(FirstKernel.self, x, full([], 0), outShape: shape)
    }

    /// x where x > 0, else slope * x, in one SIMD pass.
    private func leakyRelu(_ x: Tensor, _ slope: Float) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape)
        let px = x.storage.pointer, po = out.storage.pointer
        ThreadPool.shared.parallelChunks(total: x.count, minChunk: parallelElementThreshold) { r in
            let s = SIMD8<Float>(repeating: slope)
            var i = r.lowerBound
            while i + 8 <= r.upperBound {
                let v = UnsafeRawPointer(px + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(po + i).storeBytes(of: (v * s).replacing(with: v, where: v .> 0), as: SIMD8<Float>.self)
                i += 8
            }
            while i < r.upperBound { po[i] = px[i] > 0 ? px[i] : slope * px[i]; i += 1 }
        }
        return out
    }

    /// Phi(x) + x phi(x) with libm's erf and exp.
    private func geluDerivative(_ x: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: x.shape)
        let px = x.storage.pointer, po = out.storage.pointer
        let invSqrt2: Float = 0.70710678118654752
        let invSqrt2Pi: Float = 0.39894228040143268
        for i in 0..<x.count {
            let v = px[i]
            po[i] = 0.5 * (1 + libmErf(v * invSqrt2)) + v * invSqrt2Pi * libmExp(-0.5 * v * v)
        }
        return out
    }
}

/// Returns the first operand (a broadcasting copy).
enum FirstKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a }
}

/// a^b with libm's powf, lane by lane (there is no SIMD powf).
enum PowKernel: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { libmPow(a, b) }
    @inline(__always) static func apply(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        var r = SIMD8<Float>()
        for i in 0..<8 { r[i] = libmPow(a[i], b[i]) }
        return r
    }
}
