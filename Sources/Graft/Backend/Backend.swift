/// The primitives the ops in `Sources/Graft/Ops` are written in: a table from op to function,
/// as in tinygrad's `runtime/ops_cpu.py`. Ops check shapes, record gradients and compose
/// primitives; a backend owns the memory behind `TensorStorage` and computes. Only code under
/// `Backend/` touches storage pointers, the thread pool or GEMM (BackendSeamTests enforces it).
///
/// Each method is one op on whole tensors: the dispatch costs one call per op, and the backend
/// runs a loop specialised for the op (no closure per element, no extra copy). Methods that
/// return a tensor allocate it on the backend's device; `shape` arguments name that result's
/// shape where it is not the input's. Offsets, strides and sizes count elements, row-major.
protocol Backend: Sendable {
    // MARK: Memory

    /// Storage on this backend's device holding `values` (copied from host memory).
    func makeStorage(_ values: UnsafeBufferPointer<Float>) -> TensorStorage
    /// Storage on this backend's device for `count` elements, uninitialised (the caller writes all).
    func makeStorage(uninitializedCount count: Int) -> TensorStorage
    /// Storage on this backend's device of `count` elements, all `value`.
    func makeStorage(count: Int, repeating value: Float) -> TensorStorage
    /// Calls `body` with the tensor's values in host memory; writes go back to the tensor.
    func withHostBuffer<R>(_ x: Tensor, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R
    /// start, start + step, ... (`count` values).
    func arange(start: Float, step: Float, count: Int) -> Tensor
    /// A copy of x's values in fresh storage.
    func copy(_ x: Tensor) -> Tensor
    /// Overwrites dst's values with src's (same count).
    func assign(_ dst: Tensor, from src: Tensor)
    /// One draw per element from `generator`, in row-major order.
    func random(_ fill: RandomFill, shape: [Int], generator: RandomGenerator) -> Tensor

    // MARK: Elementwise

    /// op(x) elementwise.
    func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor
    /// op(a, b) elementwise with broadcasting to `shape` (already checked).
    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Tensor
    /// a += b in place (same shape; gradient accumulation).
    func addInPlace(_ a: Tensor, _ b: Tensor)
    /// a where condition != 0, else b; all three broadcast to `shape`.
    func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Tensor
    /// x repeated along size-1 and leading axes to `shape`.
    func expand(_ x: Tensor, to shape: [Int]) -> Tensor

    // MARK: Reductions

    /// The reduction of the [outer, n, inner] view of x over n; the result has `shape`.
    func reduce(_ op: ReduceOp, _ x: Tensor, outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor
    /// The first index of the maximum (or minimum) over n of the [outer, n, inner] view.
    func argReduce(max: Bool, _ x: Tensor, outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor
    /// The sum of all values.
    func sumAll(_ x: Tensor) -> Float

    // MARK: Matrix products

    /// op(a) @ op(b) for `batch` equal-sized matrices: a [batch, ., .], b [batch, ., .], result
    /// [batch, m, n] with the given `shape`; op transposes when asked.
    func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
                batch: Int, m: Int, n: Int, k: Int, shape: [Int]) -> Tensor
    /// x Wᵀ + b for x [rows, k], weight [n, k], bias [n]; the result has `shape` (rows * n values).
    func linear(_ x: Tensor, weight: Tensor, bias: Tensor, rows: Int, shape: [Int]) -> Tensor

    // MARK: Convolution

    /// The im2col matrix [C*kh*kw, N*outH*outW] of an NCHW tensor.
    func im2col(_ x: Tensor, _ g: Conv2dGeometry) -> Tensor
    /// The NCHW tensor whose im2col matrix `cols` is, overlaps added (col2im).
    func col2im(_ cols: Tensor, _ g: Conv2dGeometry) -> Tensor
    /// The im2row matrix [N*outH, C*kh*W] of an NCHW tensor (kernels spanning the width).
    func im2row(_ x: Tensor, _ g: Conv2dGeometry) -> Tensor
    /// The NCHW tensor whose im2row matrix `rows` is, overlaps added (row2im).
    func row2im(_ rows: Tensor, _ g: Conv2dGeometry) -> Tensor

    // MARK: Pooling

    /// Max pooling, with the argmax position of every output within its input plane.
    func maxPool2d(_ x: Tensor, _ g: Conv2dGeometry) -> (Tensor, PoolIndices)
    /// Adds each output gradient onto the input position its maximum came from.
    func maxPool2dScatter(_ gy: Tensor, _ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor
    /// Reads, for each pooling output, the input value at its maximum's position.
    func maxPool2dGather(_ x: Tensor, _ argmax: PoolIndices, _ g: Conv2dGeometry) -> Tensor
    /// Average pooling.
    func avgPool2d(_ x: Tensor, _ g: Conv2dGeometry, countIncludePad: Bool) -> Tensor
    /// The adjoint of average pooling.
    func avgPool2dAdjoint(_ gy: Tensor, _ g: Conv2dGeometry, countIncludePad: Bool) -> Tensor

    // MARK: Indexing

    /// out[i] = x[offsets[i]]; the result has `shape`.
    func gather(_ x: Tensor, offsets: [Int], shape: [Int]) -> Tensor
    /// dst[offsets[i]] += src[i], in place.
    func scatterAdd(_ src: Tensor, offsets: [Int], into dst: Tensor)
    /// The slices at `indices` along n of the [outer, n, inner] view of x; the result has `shape`.
    func indexSelect(_ x: Tensor, indices: [Int], outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor
    /// Zeros of `shape` ([outer, n, inner]) with the slices of x added at `indices` along n.
    func indexAdd(_ x: Tensor, indices: [Int], outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor
    /// Zeros of shape [indices.count, classes] (reshaped to `shape`) with 1 at each index.
    func oneHot(_ indices: [Int], classes: Int, shape: [Int]) -> Tensor

    // MARK: Strided copies

    /// out[i0, i1, ...] = x[base + Σ ik * strides[k]] for the multi-index over `shape`.
    func stridedGather(_ x: Tensor, base: Int, strides: [Int], shape: [Int]) -> Tensor
    /// dst[base + Σ ik * strides[k]] = (or +=, with `accumulate`) x[i0, i1, ...], in place.
    func stridedScatter(_ x: Tensor, into dst: Tensor, base: Int, strides: [Int], accumulate: Bool)

    // MARK: Softmax rows

    /// Softmax (or log-softmax) of every row along the last axis.
    func softmaxRows(_ x: Tensor, log: Bool) -> Tensor
    /// g - exp(y) Σ g along the last axis (first-order log-softmax backward, output y).
    func logSoftmaxBackwardRows(_ g: Tensor, _ y: Tensor) -> Tensor

    // MARK: Fused losses

    /// Per-row cross-entropy of logits [rows, c] at `targets` (-1: ignored) with label smoothing:
    /// the losses (0 on ignored rows, with `shape`) and what the backward needs.
    func crossEntropyForward(_ logits: Tensor, targets: [Int], smoothing: Float, shape: [Int]) -> (Tensor, CrossEntropyRows)
    /// rowGrad[r] * (softmax(row) - smoothed one-hot target), the first-order gradient.
    func crossEntropyBackward(_ logits: Tensor, _ saved: CrossEntropyRows, targets: [Int],
                              rowGrad: [Float], smoothing: Float) -> Tensor
    /// max(x, 0) - x z + log(1 + e^-|x|) elementwise.
    func binaryCrossEntropyWithLogits(_ x: Tensor, _ z: Tensor) -> Tensor

    // MARK: Sampling

    /// One class per row of logits [rows, c] by inverse CDF, with uniforms[r] for row r.
    func categorical(_ logits: Tensor, invTemperature: Float, uniforms: [Float], shape: [Int]) -> Tensor
    /// categorical of x Wᵀ + b, in blocks of rows whose logits stay in cache.
    func linearCategorical(_ x: Tensor, weight: Tensor, bias: Tensor?, invTemperature: Float,
                           uniforms: [Float], shape: [Int]) -> Tensor

    // MARK: Fused ops of optimizers, metrics and recipes

    /// Adam's step in place on p (`Tensor.adamUpdate` has the rule): moments m, v; `stepSize` is
    /// lr / (1 - β₁ᵗ), `c2Root` √(1 - β₂ᵗ), `shrink` the decoupled decay factor, `l2` the L2 decay.
    func adamUpdate(_ p: Tensor, gradient: Tensor, firstMoment m: Tensor, secondMoment v: Tensor, beta1: Float, beta2: Float,
                    eps: Float, stepSize: Float, c2Root: Float, shrink: Float, l2: Float)
    /// SGD's step in place on p (`Tensor.sgdUpdate`), with an optional momentum buffer.
    func sgdUpdate(_ p: Tensor, gradient: Tensor, momentumBuffer: Tensor?, learningRate: Float, weightDecay: Float,
                   momentum: Float, nesterov: Bool, firstStep: Bool)
    /// RMSprop's step in place on p (`Tensor.rmspropUpdate`), with an optional momentum buffer.
    func rmspropUpdate(_ p: Tensor, gradient: Tensor, squareAverage: Tensor, momentumBuffer: Tensor?, learningRate: Float,
                       alpha: Float, eps: Float, momentum: Float, weightDecay: Float)
    /// Adagrad's step in place on p (`Tensor.adagradUpdate`).
    func adagradUpdate(_ p: Tensor, gradient: Tensor, sumOfSquares: Tensor, learningRate: Float, eps: Float, weightDecay: Float)
    /// Σ x² over all values, accumulated in Float64 in row-major order.
    func sumOfSquares(_ x: Tensor) -> Double
    /// σ(head · highway(f) + headBias) [rows] of pooled features f [rows, F] (shapes checked:
    /// weight [F, F] or [F, 2F], bias one per column, head [F]).
    func highwayLogisticHead(_ pooled: Tensor, weight: Tensor, bias: Tensor, head: Tensor, headBias: Float) -> Tensor
    /// Mini-batch closeness [N, B] of m [N, B, C], keeping the closeness values in `saved`.
    func minibatchCloseness(_ m: Tensor, saved: ClosenessValues) -> Tensor
    /// The gradient [N, B, C] of `minibatchCloseness` of m for the output gradient `grad` [N, B].
    func minibatchClosenessBackward(_ m: Tensor, grad: Tensor, saved: ClosenessValues) -> Tensor
    /// |images[pᵢ, topᵢ + y, leftᵢ + x, c] / divisor - planes[i, y, x]| [N, C, h, w] for planes of
    /// h × w and images [P, H, W, C] (origins checked to fit).
    func patchAbsoluteDifferences(_ planes: Tensor, h: Int, w: Int, images: Tensor, origins: [(image: Int, top: Int, left: Int)],
                                  divisor: Float) -> Tensor
    /// ‖aᵢ - bⱼ‖² [n, m] for a [n, d] and b [m, d], close calls refined in Float64.
    func pairwiseSquaredDistances(_ a: Tensor, _ b: Tensor) -> Tensor
    /// Folds the pairwise values of the rows of a [n, d] and b [m, d] into `states` (one per row
    /// of a), block by block in column order, rows in parallel (`Tensor.reducePairwiseRows`).
    func reducePairwiseRows<State>(_ a: Tensor, _ b: Tensor, measure: Tensor.PairwiseMeasure, states: inout [State],
                                   _ update: (inout State, Int, PairwiseLine) -> Void)
    /// C = A B for row-major Float64 matrices A [m, k] and B [k, n] in host arrays.
    func float64Multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double]
    /// C += A B (only C[i, j] with j <= i when `lowerOnly`) for row-major Float64 host arrays.
    func float64MultiplyAdd(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, into c: inout [Double], lowerOnly: Bool)
    /// The transpose [n, m] of a row-major Float64 matrix A [m, n] in a host array.
    func float64Transpose(_ a: [Double], rows: Int, cols: Int) -> [Double]
    /// The token tables [V, w, maps] of each convolution width (`TokenWindowTables`), from an
    /// embedding [V, E] and weights [maps, 1, w, E], in memory this backend reads rows of at random.
    func tokenTables(embedding: [Float], vocabulary: Int, dim: Int, weights: [[Float]], widths: [Int], maps: [Int]) -> TokenTables
    /// Pooled features [rows, F] of token sequences `ids` [rows, length] through `tables`.
    func tokenWindowFeatures(_ tables: TokenWindowTables, ids: [Int32], rows: Int, length: Int) -> Tensor
    /// Pooled features [rows, F] of the sequences sentences[r % B, ..<given] + completions[r]
    /// (`sentences` [B, length], `completions` [rows, length - given]), prefixes summed once per sentence.
    func tokenWindowFeatures(_ tables: TokenWindowTables, sentences: [Int32], count: Int, given: Int, completions: [Int32],
                             rows: Int, length: Int) -> Tensor
}

extension Backend {
    /// A tensor of `shape` filled with `value`, on this backend's device.
    func full(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor(shape: shape, storage: makeStorage(count: Shapes.count(shape), repeating: value))
    }

    /// An uninitialised tensor of `shape` on this backend's device, for ops that write all of it.
    func empty(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: makeStorage(uninitializedCount: Shapes.count(shape)))
    }
}
