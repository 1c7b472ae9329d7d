import Graft

/// 2-D convolution over [N, C, H, W] (PyTorch's Conv2d and its default initialisation).
public final class Conv2d: Module, UnaryLayer {
    /// The kernels, [out, in, kh, kw].
    public var weight: Tensor
    /// The bias, [out].
    public var bias: Tensor?
    /// Stride, padding and dilation (height, width).
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)

    /// A convolution from `inChannels` to `outChannels` with a kh x kw kernel.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), bias: Bool = true,
                generator: RandomGenerator = .global) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize.0 > 0 && kernelSize.1 > 0,
                     "Conv2d needs positive sizes, got \(inChannels) -> \(outChannels), kernel \(kernelSize)")
        weight = Init.kaimingUniform([outChannels, inChannels, kernelSize.0, kernelSize.1], a: Float(5).squareRoot(), generator: generator)
        let bound = 1 / Float(inChannels * kernelSize.0 * kernelSize.1).squareRoot()
        self.bias = bias ? Init.uniform([outChannels], bound: bound, generator: generator) : nil
        self.stride = stride; self.padding = padding; self.dilation = dilation
        super.init()
    }

    /// A square-kernel convolution.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, bias: Bool = true, generator: RandomGenerator = .global) {
        self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding), dilation: (dilation, dilation), bias: bias, generator: generator)
    }

    /// Applies the convolution.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }
}

/// 1-D convolution over [N, C, L], computed as a 2-D convolution of height 1 (the text
/// CNNs of SeqGAN's discriminator and of style classifiers).
public final class Conv1d: Module, UnaryLayer {
    /// The kernels, [out, in, k].
    public var weight: Tensor
    /// The bias, [out].
    public var bias: Tensor?
    /// Stride, padding and dilation.
    public let stride: Int, padding: Int, dilation: Int

    /// A convolution from `inChannels` to `outChannels` with a kernel of `kernelSize`.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, generator: RandomGenerator = .global) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0, "Conv1d needs positive sizes")
        weight = Init.kaimingUniform([outChannels, inChannels, kernelSize], a: Float(5).squareRoot(), generator: generator)
        let bound = 1 / Float(inChannels * kernelSize).squareRoot()
        self.bias = bias ? Init.uniform([outChannels], bound: bound, generator: generator) : nil
        self.stride = stride; self.padding = padding; self.dilation = dilation
        super.init()
    }

    /// Applies the convolution to [N, C, L].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3, "Conv1d needs [N, C, L], got \(x.shape)")
        let w = weight.unsqueeze(axis: 2)
        let y = Tensor.conv2d(x.unsqueeze(axis: 2), weight: w, bias: bias, stride: (1, stride),
                              padding: (0, padding), dilation: (1, dilation))
        return y.squeeze(axis: 2)
    }
}

/// Transposed 2-D convolution (PyTorch's ConvTranspose2d): weight [in, out, kh, kw].
public final class ConvTranspose2d: Module, UnaryLayer {
    /// The kernels, [in, out, kh, kw].
    public var weight: Tensor
    /// The bias, [out].
    public var bias: Tensor?
    /// Stride, padding, output padding and dilation.
    public let stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int), dilation: (Int, Int)

    /// An upsampling convolution from `inChannels` to `outChannels`.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
                bias: Bool = true, generator: RandomGenerator = .global) {
        precondition(inChannels > 0 && outChannels > 0, "ConvTranspose2d needs positive channel counts")
        // PyTorch computes fan-in from weight dim 1 (out channels) for transposed convolutions.
        weight = Init.kaimingUniform([inChannels, outChannels, kernelSize.0, kernelSize.1], a: Float(5).squareRoot(), generator: generator)
        let bound = 1 / Float(outChannels * kernelSize.0 * kernelSize.1).squareRoot()
        self.bias = bias ? Init.uniform([outChannels], bound: bound, generator: generator) : nil
        self.stride = stride; self.padding = padding; self.outputPadding = outputPadding; self.dilation = dilation
        super.init()
    }

    /// A square-kernel transposed convolution.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0, bias: Bool = true, generator: RandomGenerator = .global) {
        self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding), outputPadding: (outputPadding, outputPadding), bias: bias, generator: generator)
    }

    /// Applies the transposed convolution.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding,
                               outputPadding: outputPadding, dilation: dilation)
    }
}

/// Max pooling (stride defaults to the window).
public final class MaxPool2d: Module, UnaryLayer {
    let kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int)
    /// A max-pooling layer.
    public init(_ kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernel = (kernel, kernel); self.stride = stride.map { ($0, $0) }; self.padding = (padding, padding)
        super.init()
    }
    /// Applies the pooling.
    public func callAsFunction(_ x: Tensor) -> Tensor { x.maxPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// Average pooling (stride defaults to the window).
public final class AvgPool2d: Module, UnaryLayer {
    let kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int), countIncludePad: Bool
    /// An average-pooling layer.
    public init(_ kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludePad: Bool = true) {
        self.kernel = (kernel, kernel); self.stride = stride.map { ($0, $0) }; self.padding = (padding, padding)
        self.countIncludePad = countIncludePad
        super.init()
    }
    /// Applies the pooling.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.avgPool2d(kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad)
    }
}
