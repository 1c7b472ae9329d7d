#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libm's powf, for the general power op.
@inline(__always) func libmPow(_ a: Float, _ b: Float) -> Float { powf(a, b) }
/// libm's erff.
@inline(__always) func libmErf(_ x: Float) -> Float { erff(x) }
/// libm's expf, for scalar code outside the hot loops.
@inline(__always) func libmExp(_ x: Float) -> Float { expf(x) }
/// libm's logf.
@inline(__always) func libmLog(_ x: Float) -> Float { logf(x) }
/// libm's log1pf.
@inline(__always) func libmLog1p(_ x: Float) -> Float { log1pf(x) }
