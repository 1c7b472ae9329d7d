/// Sampling from a linear layer's softmax without materializing all the logits.
extension Tensor {
    /// One class per row drawn from softmax((x Wᵀ + b) / temperature) for features x [..., in],
    /// weight [classes, in] and bias [classes]: the same draws as
    /// `categorical(logits: linear(x, weight: weight, bias: bias), temperature:, generator:)`
    /// (the same uniform numbers, in row order, and the same logits, bias first then the GEMM),
    /// computed in blocks of rows whose logits stay in cache instead of one [..., classes] tensor
    /// written to memory and read back. No gradient flows (sampling is not differentiable).
    public static func categorical(features x: Tensor, weight: Tensor, bias: Tensor? = nil, temperature: Float = 1,
                                   generator: RandomGenerator = .global) -> Tensor {
        guard x.rank >= 1, weight.rank == 2, x.shape[x.rank - 1] == weight.shape[1], weight.shape[0] > 0 else {
            graftFatal(ShapeError(op: "categorical",
                                  "features \(shapeString(x.shape)) and weight \(shapeString(weight.shape)) do not match "
                                  + "(weight must be [classes, \(x.rank >= 1 ? x.shape[x.rank - 1] : -1)])"))
        }
        let (k, c) = (weight.shape[1], weight.shape[0])
        if let bias, bias.shape != [c] {
            graftFatal(ShapeError(op: "categorical", "bias of shape \(shapeString(bias.shape)) for \(c) classes"))
        }
        if !(temperature > 0) { graftFatal(ShapeError(op: "categorical", "temperature must be positive, got \(temperature)")) }
        let rows = x.count / Swift.max(k, 1)
        let uniforms = (0..<rows).map { _ in generator.nextFloat() }
        return x.backend.linearCategorical(x, weight: weight, bias: bias, invTemperature: 1 / temperature,
                                           uniforms: uniforms, shape: Array(x.shape.dropLast()))
    }
}
