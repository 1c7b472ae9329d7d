// How this module was compiled. Package.swift compiles it with -march=x86-64-v4 and defines
// GRAFT_AVX512_CODEGEN on x86-64 hosts; a portable build (GRAFT_PORTABLE=1, or a non-x86-64
// host) compiles the same Swift without them: plain SIMD code, correct on any CPU but slow
// (SIMD16 spills; on x86-64 the multiply-adds are unfused, MulAdd.swift), which Graft then
// never chooses.

/// True when this module's functions were compiled as AVX-512 code (-march=x86-64-v4): they
/// may then execute AVX-512 instructions and must be called only on CPUs with AVX-512F.
@inline(never)
public func graftAVX512CodeGeneration() -> Bool {
    #if GRAFT_AVX512_CODEGEN
    return true
    #else
    return false
    #endif
}
