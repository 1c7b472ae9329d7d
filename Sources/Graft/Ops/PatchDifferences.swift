/// Differences between planes and patches cut from a bank of images (MNIST-M's blend of digits
/// with photo patches, Ganin et al. 2016: |photo / 255 - digit| per colour channel).
extension Tensor {
    /// |images[pᵢ, topᵢ + y, leftᵢ + x, c] / divisor - self[i, y, x]| [N, C, h, w] for planes
    /// [N, h, w] (or [N, 1, h, w]) and images [P, H, W, C] (channels last), where origin i =
    /// (pᵢ, topᵢ, leftᵢ) places an h × w patch inside image pᵢ. Not recorded (data preparation).
    public func patchAbsoluteDifferences(images: Tensor, origins: [(image: Int, top: Int, left: Int)], divisor: Float) -> Tensor {
        let planar = rank == 3 || (rank == 4 && shape[1] == 1)
        guard planar, images.rank == 4, origins.count == shape[0] else {
            graftFatal(ShapeError(op: "patchAbsoluteDifferences",
                                  "needs planes [N, h, w] or [N, 1, h, w], images [P, H, W, C] and N origins, "
                                  + "got \(shapeString(shape)), \(shapeString(images.shape)) and \(origins.count) origins"))
        }
        let (h, w) = (shape[rank - 2], shape[rank - 1])
        let (p, height, width) = (images.shape[0], images.shape[1], images.shape[2])
        if let bad = origins.firstIndex(where: { !(0..<p).contains($0.image) || !(0...(height - h)).contains($0.top)
                                                 || !(0...(width - w)).contains($0.left) }) {
            graftFatal(ShapeError(op: "patchAbsoluteDifferences",
                                  "origin \(bad) \(origins[bad]) does not fit a \(h)x\(w) patch in images \(shapeString(images.shape))"))
        }
        return backend.patchAbsoluteDifferences(self, h: h, w: w, images: images, origins: origins, divisor: divisor)
    }
}
