import Testing
@testable import Graft
@testable import GraftNN

@Suite struct LayerTests {
    @Test func shapesAndParameterCounts() {
        let g = RandomGenerator(seed: 1)
        let x2 = Tensor.randn([5, 8], generator: g)
        let lin = Linear(8, 3, generator: g)
        #expect(lin(x2).shape == [5, 3] && lin.parameterCount == 27)
        #expect(lin(Tensor.randn([2, 5, 8])).shape == [2, 5, 3])
        #expect(Linear(8, 3, bias: false).parameterCount == 24)
        let emb = Embedding(10, 4, paddingIndex: 0)
        #expect(emb(Tensor(indices: [1, 0, 3, 9], shape: [2, 2])).shape == [2, 2, 4] && emb.parameterCount == 40)
        let img = Tensor.randn([2, 3, 12, 12], generator: g)
        let conv = Conv2d(3, 8, kernelSize: 5, stride: 1, padding: 2)
        #expect(conv(img).shape == [2, 8, 12, 12] && conv.parameterCount == 8 * 3 * 25 + 8)
        let convT = ConvTranspose2d(3, 4, kernelSize: 4, stride: 2, padding: 1)
        #expect(convT(img).shape == [2, 4, 24, 24] && convT.parameterCount == 3 * 4 * 16 + 4)
        let conv1 = Conv1d(6, 7, kernelSize: 3, padding: 1)
        #expect(conv1(Tensor.randn([2, 6, 10])).shape == [2, 7, 10] && conv1.parameterCount == 7 * 6 * 3 + 7)
        #expect(MaxPool2d(2)(img).shape == [2, 3, 6, 6])
        #expect(AvgPool2d(3, stride: 1, padding: 1)(img).shape == [2, 3, 12, 12])
        #expect(BatchNorm2d(3)(img).shape == img.shape && BatchNorm2d(3).parameterCount == 6)
        #expect(BatchNorm1d(8)(x2).shape == [5, 8])
        #expect(LayerNorm(8)(x2).shape == [5, 8] && LayerNorm(8).parameterCount == 16)
        #expect(Flatten()(img).shape == [2, 432])
        #expect(Highway(8)(x2).shape == [5, 8] && Highway(8).parameterCount == 2 * 72)
        let seq = Sequential(Linear(8, 4), ReLU(), Dropout(0.5), Linear(4, 2), LeakyReLU(0.2), Sigmoid(), Tanh(), GELU(), Softplus(), LogSoftmax())
        #expect(seq(x2).shape == [5, 2] && seq.parameterCount == 36 + 10)
        #expect(Softmax()(x2).sum(axis: 1).scalars.allSatisfy { abs($0 - 1) < 1e-5 })
        let mha = MultiheadAttention(embedDim: 8, heads: 2)
        let (out, w) = mha(query: Tensor.randn([2, 3, 8]), key: Tensor.randn([2, 5, 8]), value: Tensor.randn([2, 5, 8]))
        #expect(out.shape == [2, 3, 8] && w.shape == [2, 3, 5] && mha.parameterCount == 4 * 72)
        let enc = TransformerEncoderLayer(dModel: 8, heads: 2, feedForward: 16)
        #expect(enc(Tensor.randn([2, 5, 8])).shape == [2, 5, 8])
        #expect(enc.parameterCount == 4 * 72 + (8 * 16 + 16) + (16 * 8 + 8) + 2 * 16)
    }

    @Test func batchNormStatistics() {
        let bn = BatchNorm1d(2)
        let x = Tensor([1, 10, 3, 20, 5, 30], shape: [3, 2])
        let y = bn(x)
        // Each channel is standardised with the biased batch variance.
        expectNear(y.mean(axis: 0).scalars, [0, 0])
        expectNear(y.variance(axes: [0], unbiased: false).scalars, [1, 1], tol: 1e-4)
        // Running statistics moved 10% towards the batch mean and unbiased variance.
        expectNear(bn.runningMean!.scalars, [0.3, 2.0])
        expectNear(bn.runningVar!.scalars, [0.9 + 0.1 * 4, 0.9 + 0.1 * 100])
        bn.eval()
        let z = bn(x)
        expectNear(z.scalars[0...1].map { $0 }, [(1 - 0.3) / (1.3 + 1e-5).squareRoot(), (10 - 2) / (10.9 + 1e-5).squareRoot()])
    }

    @Test func dropoutOnlyInTraining() {
        let d = Dropout(0.5)
        let x = Tensor.ones([1000])
        #expect(d(x).scalars.contains(0))
        d.eval()
        #expect(d(x).scalars.allSatisfy { $0 == 1 })
    }

    @Test func embeddingPaddingRowStaysZero() {
        let emb = Embedding(4, 3, paddingIndex: 2)
        #expect(emb.weight.scalars[6..<9].allSatisfy { $0 == 0 })
        emb(Tensor(indices: [2, 1, 2])).sum().backward()
        let g = emb.weight.grad!.scalars
        #expect(g[6..<9].allSatisfy { $0 == 0 } && g[3..<6].allSatisfy { $0 == 1 })
    }

    @Test func causalAttentionIgnoresTheFuture() {
        let mha = MultiheadAttention(embedDim: 4, heads: 1)
        let x = Tensor.randn([1, 4, 4])
        let mask = MultiheadAttention.causalMask(4)
        let w = mha(query: x, key: x, value: x, attentionMask: mask).weights
        for i in 0..<4 { for j in (i + 1)..<max(i + 1, 4) { #expect(w[0, i, j] == 0) } }
        // Changing the last position does not change the first output.
        let y = x.copy()
        y.withUnsafeMutableBufferPointer { $0[12] += 5 }
        let a = mha(x, attentionMask: mask), b = mha(y, attentionMask: mask)
        expectNear(Array(a.scalars[0..<4]), Array(b.scalars[0..<4]))
    }

    @Test func initialisers() {
        let g = RandomGenerator(seed: 2)
        let o = Init.orthogonal([4, 6], generator: g)
        let gram = o.matmul(o.T)
        expectNear(gram.scalars, Tensor.zeros([4, 4]).scalars.enumerated().map { $0.offset % 5 == 0 ? 1 : 0 }, tol: 1e-5)
        let x = Init.xavierUniform([100, 200], generator: g)
        #expect(x.scalars.allSatisfy { abs($0) <= (6.0 / 300).squareRoot() })
        let k = Init.kaimingNormal([400, 500], generator: g)
        #expect(abs(k.std().item - (2.0 / 500).squareRoot()) < 0.002)
        #expect(Init.fans([8, 3, 5, 5]) == (75, 200))
    }
}

/// Asserts two arrays agree elementwise within an absolute tolerance.
func expectNear(_ a: [Float], _ b: [Float], tol: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) where !(abs(x - y) <= tol) {
        Issue.record("\(a) vs \(b)", sourceLocation: sourceLocation)
        return
    }
}
