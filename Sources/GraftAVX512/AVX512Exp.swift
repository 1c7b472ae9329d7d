// The softmax numerators of Graft's categorical sampling on 16 lanes: FastMath.expNonPositive
// (the reduction and polynomial of FastMath.exp, one scaling by 2^n) with the same operations in
// the same order, so every lane is bitwise what the 8-lane version computes.

/// e[j] = exp((x[j] - m) * invT) for j in 0..<count rounded down to a multiple of 16, where
/// every argument is <= 0 (m is the row's maximum, invT > 0); returns how many were done (the
/// caller finishes the rest). Arguments below ln(FLT_MIN) give 0. `x` and `e` may be the same.
@inline(never)
public func graftAVX512ShiftedExp(_ x: UnsafePointer<Float>, _ e: UnsafeMutablePointer<Float>, count: Int,
                                  max m: Float, invT: Float) -> Int {
    typealias V = SIMD16<Float>
    let mv = V(repeating: m), tv = V(repeating: invT)
    let low = V(repeating: -87.336_540_222_167_97)
    let magic: Float = 12_582_912.0
    let magicBits = SIMD16<Int32>(repeating: 0x4B40_0000)
    var j = 0
    while j + 16 <= count {
        let v = (UnsafeRawPointer(x + j).loadUnaligned(as: V.self) - mv) * tv
        let underflow = v .< low
        let xc = v.replacing(with: low, where: underflow)
        let t = mulAdd(xc, V(repeating: 1.442_695_04), V(repeating: magic))
        let nf = t - magic
        let n = unsafeBitCast(t, to: SIMD16<Int32>.self) &- magicBits
        var r = mulAdd(nf, V(repeating: -0.693_359_375), xc)
        r = mulAdd(nf, V(repeating: 2.121_944_40e-4), r)
        let z = r * r
        var p = V(repeating: 1.987_569_150_0e-4)
        p = mulAdd(p, r, V(repeating: 1.398_199_950_7e-3))
        p = mulAdd(p, r, V(repeating: 8.333_451_907_3e-3))
        p = mulAdd(p, r, V(repeating: 4.166_579_589_4e-2))
        p = mulAdd(p, r, V(repeating: 1.666_666_545_9e-1))
        p = mulAdd(p, r, V(repeating: 5.000_000_120_1e-1))
        p = mulAdd(p, z, r)
        p = p + 1
        let scale = unsafeBitCast((n &+ 127) &* 8_388_608, to: V.self)
        let y = (p * scale).replacing(with: 0, where: underflow)
        UnsafeMutableRawPointer(e + j).storeBytes(of: y, as: V.self)
        j += 16
    }
    return j
}
