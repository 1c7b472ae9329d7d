/// Fused ops of optimizers and recipes on the CPU backend: one kernel call each
/// (`OptimizerKernels`, `SquaredSumKernel`, `HighwayHeadKernel`, `MinibatchClosenessKernel`,
/// `PatchDifferenceKernel`), on the tensors' storage in place of the ops' former raw pointers.
extension CPUBackend {
    /// Adam's step: `OptimizerKernels.adam` over p's storage, in place.
    func adamUpdate(_ p: Tensor, gradient: Tensor, firstMoment m: Tensor, secondMoment v: Tensor, beta1: Float, beta2: Float,
                    eps: Float, stepSize: Float, c2Root: Float, shrink: Float, l2: Float) {
        OptimizerKernels.adam(p.count, p.storage.pointer, gradient.storage.pointer, m.storage.pointer, v.storage.pointer,
                              b1: beta1, b2: beta2, eps: eps, stepSize: stepSize, c2Root: c2Root, shrink: shrink, l2: l2)
    }

    /// SGD's step: `OptimizerKernels.sgd`, in place.
    func sgdUpdate(_ p: Tensor, gradient: Tensor, momentumBuffer b: Tensor?, learningRate lr: Float, weightDecay wd: Float,
                   momentum mu: Float, nesterov: Bool, firstStep: Bool) {
        OptimizerKernels.sgd(p.count, p.storage.pointer, gradient.storage.pointer, b?.storage.pointer,
                             lr: lr, wd: wd, mu: mu, nesterov: nesterov, first: firstStep)
    }

    /// RMSprop's step: `OptimizerKernels.rmsprop`, in place.
    func rmspropUpdate(_ p: Tensor, gradient: Tensor, squareAverage s: Tensor, momentumBuffer b: Tensor?, learningRate lr: Float,
                       alpha: Float, eps: Float, momentum mu: Float, weightDecay wd: Float) {
        OptimizerKernels.rmsprop(p.count, p.storage.pointer, gradient.storage.pointer, s.storage.pointer, b?.storage.pointer,
                                 lr: lr, alpha: alpha, eps: eps, mu: mu, wd: wd)
    }

    /// Adagrad's step: `OptimizerKernels.adagrad`, in place.
    func adagradUpdate(_ p: Tensor, gradient: Tensor, sumOfSquares s: Tensor, learningRate lr: Float, eps: Float, weightDecay wd: Float) {
        OptimizerKernels.adagrad(p.count, p.storage.pointer, gradient.storage.pointer, s.storage.pointer, lr: lr, eps: eps, wd: wd)
    }

    /// `SquaredSumKernel` over x's storage.
    func sumOfSquares(_ x: Tensor) -> Double { SquaredSumKernel.run(x.storage.pointer, x.count) }

    /// `HighwayHeadKernel`: one SGEMM, then gate, mix and head per row in parallel.
    func highwayLogisticHead(_ pooled: Tensor, weight w: Tensor, bias b: Tensor, head: Tensor, headBias: Float) -> Tensor {
        HighwayHeadKernel.run(pooled: pooled.storage.pointer, rows: pooled.shape[0], features: pooled.shape[1],
                              weight: w.storage.pointer, bias: b.storage.pointer, outputs: w.shape[1],
                              head: head.storage.pointer, headBias: headBias)
    }

    /// `MinibatchClosenessKernel.forward` into zeros [N, B].
    func minibatchCloseness(_ m: Tensor, saved: ClosenessValues) -> Tensor {
        let (n, b, c) = (m.shape[0], m.shape[1], m.shape[2])
        let out = Tensor.zeros([n, b])
        MinibatchClosenessKernel.forward(m.storage.pointer, n: n, b: b, c: c, saved: saved, into: out.storage.pointer)
        return out
    }

    /// `MinibatchClosenessKernel.backward` into zeros [N, B, C].
    func minibatchClosenessBackward(_ m: Tensor, grad: Tensor, saved: ClosenessValues) -> Tensor {
        let (n, b, c) = (m.shape[0], m.shape[1], m.shape[2])
        let dm = Tensor.zeros([n, b, c])
        MinibatchClosenessKernel.backward(m.storage.pointer, grad: grad.storage.pointer, n: n, b: b, c: c, saved: saved,
                                          into: dm.storage.pointer)
        return dm
    }

    /// `PatchDifferenceKernel` into a fresh [N, C, h, w].
    func patchAbsoluteDifferences(_ planes: Tensor, h: Int, w: Int, images: Tensor, origins: [(image: Int, top: Int, left: Int)],
                                  divisor: Float) -> Tensor {
        let n = planes.shape[0]
        let (height, width, channels) = (images.shape[1], images.shape[2], images.shape[3])
        let out = Tensor(uninitializedShape: [n, channels, h, w])
        PatchDifferenceKernel.run(planes: planes.storage.pointer, n: n, h: h, w: w, images: images.storage.pointer, height: height,
                                  width: width, channels: channels, origins: origins, divisor: divisor, into: out.storage.pointer)
        return out
    }
}
