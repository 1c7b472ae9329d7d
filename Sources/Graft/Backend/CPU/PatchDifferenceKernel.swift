/// The loop behind `Tensor.patchAbsoluteDifferences`: one plane per task chunk, in parallel.
enum PatchDifferenceKernel {
    /// out[i, c, y, x] = |image[pᵢ, topᵢ + y, leftᵢ + x, c] / divisor - plane[i, y, x]| for `n`
    /// planes of h × w, images [P, height, width, channels].
    static func run(planes: UnsafePointer<Float>, n: Int, h: Int, w: Int, images: UnsafePointer<Float>, height: Int, width: Int,
                    channels: Int, origins: [(image: Int, top: Int, left: Int)], divisor: Float, into out: UnsafeMutablePointer<Float>) {
        let plane = h * w
        ThreadPool.shared.parallelChunks(total: n, minChunk: 256) { range in
            for i in range {
                let place = origins[i]
                let digit = planes + i * plane
                let dst = out + i * channels * plane
                for y in 0..<h {
                    let row = images + ((place.image * height + place.top + y) * width + place.left) * channels
                    for x in 0..<w {
                        let v = digit[y * w + x]
                        for c in 0..<channels { dst[c * plane + y * w + x] = abs(row[x * channels + c] / divisor - v) }
                    }
                }
            }
        }
    }
}
