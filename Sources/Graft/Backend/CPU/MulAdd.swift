// Multiply-adds for the CPU kernels: fused where the target has FMA instructions, a multiply
// and an add where it has not.
//
// Swift's `addingProduct` (and `fma`) is always fused, one rounding. On a target with FMA
// instructions that is one instruction (`vfmadd` on x86-64-v3, `fmla` on arm64); without them
// (a portable x86-64 build, GRAFT_PORTABLE=1: baseline x86-64, no -march flags) LLVM makes it a
// call to libm's `fmaf`, one call per lane: the GEMM micro-kernels and the FastMath polynomials
// then spent most of their time in those calls. The kernels therefore write every multiply-add
// as `mulAdd(a, b, c)`:
//
// - fused (`c.addingProduct(a, b)`, exactly the code the kernels had before) when
//   GRAFT_HARDWARE_FMA is defined (Package.swift defines it with the -march flags) or on arm64
//   (FMA is part of the base architecture);
// - `a * b + c`, two roundings, otherwise: a portable x86-64 build, or another architecture.
//
// So the default build's results are unchanged, and a portable x86-64 build's may differ from
// them in the last bits (the same inputs still give the same outputs in any one build).

#if GRAFT_HARDWARE_FMA || arch(arm64)
/// a * b + c lane-wise, fused: one rounding, one FMA instruction.
@inline(__always)
func mulAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    c.addingProduct(a, b)
}

/// a * b + c, fused: one rounding, one FMA instruction.
@inline(__always)
func mulAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    c.addingProduct(a, b)
}
#else
/// a * b + c lane-wise as a multiply and an add (two roundings): no FMA instructions here.
@inline(__always)
func mulAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    a * b + c
}

/// a * b + c as a multiply and an add (two roundings): no FMA instructions here.
@inline(__always)
func mulAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    a * b + c
}
#endif
