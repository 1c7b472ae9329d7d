extension Tensor {
    /// Zeroes each element with probability `p` and scales the rest by 1/(1-p) when
    /// `training`; the identity otherwise (inverted dropout, Srivastava et al. 2014).
    public func dropout(p: Float, training: Bool = true, generator: RandomGenerator = .global) -> Tensor {
        if !(0...1).contains(p) { graftFatal(ShapeError(op: "dropout", "p must be in [0, 1], got \(p)")) }
        guard training, p > 0 else { return self }
        if p == 1 { return self * Tensor.zeros(shape) }
        let mask = backend.random(.dropoutMask(keep: 1 - p), shape: shape, generator: generator)
        return self * mask
    }
}
