import Testing
@testable import Graft

@Suite struct RowGatherSumTests {
    let vocabulary = 9, dim = 5, widths = [1, 2, 3], maps = [3, 8, 11]

    func tables(seed: UInt64) -> (TokenWindowTables, Tensor, [Tensor], [Tensor]) {
        let g = RandomGenerator(seed: seed)
        let embedding = Tensor.randn([vocabulary, dim], generator: g)
        let weights = zip(widths, maps).map { Tensor.randn([$0.1, 1, $0.0, dim], std: 0.5, generator: g) }
        let biases = maps.map { Tensor.randn([$0], std: 0.5, generator: g) }
        return (TokenWindowTables(embedding: embedding, convolutionWeights: weights, biases: biases), embedding, weights, biases)
    }

    func tokens(_ shape: [Int], seed: UInt64) -> Tensor {
        let g = RandomGenerator(seed: seed)
        return Tensor((0..<shape.reduce(1, *)).map { _ in Float(g.nextInt(below: vocabulary)) }, shape: shape)
    }

    @Test func poolsLikeConvolutionsOverTheEmbeddedTokens() {
        let (t, embedding, weights, biases) = tables(seed: 1)
        let y = tokens([4, 6], seed: 2)
        let x = embedding.embedding(y).unsqueeze(axis: 1)
        let expected = Tensor.concat(zip(weights, biases).map { w, b in
            (Tensor.conv2d(x, weight: w, bias: b).squeeze(axis: 3).max(axis: 2)).relu()
        }, axis: 1)
        let got = t.pooledFeatures(y)
        #expect(got.shape == [4, t.features] && t.features == 22)
        for (a, b) in zip(got.scalars, expected.scalars) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }

    @Test func sharedPrefixesGiveTheSameFeaturesBitForBit() {
        let (t, _, _, _) = tables(seed: 3)
        let (b, l, n) = (3, 7, 2)
        let sentences = tokens([b, l], seed: 4)
        for given in 0...l {
            let rest = tokens([n * b, l - given], seed: 10 + UInt64(given))
            let repeated = sentences.unsqueeze(axis: 0).expand([n, b, l]).reshape([n * b, l])
            let full = given == 0 ? rest : (given == l ? repeated : Tensor.concat([repeated.slice(axis: 1, start: 0, end: given), rest], axis: 1))
            let got = t.pooledFeatures(sentences: sentences, given: given, completions: rest)
            #expect(got.scalars == t.pooledFeatures(full).scalars, "given \(given)")
        }
    }
}
