/// The sizes and loss weights of a `DirectStyleTransfer` model.
public struct StyleTransferConfig: Sendable, Equatable, Codable {
    /// Tokens 0..<vocabulary (the two style tokens come after them in the source vocabulary).
    public var vocabulary: Int
    /// Embedding width.
    public var embedding: Int
    /// Hidden width of the encoder and decoder.
    public var hidden: Int
    /// The longest sentence, in tokens; soft transfers run `maxLength + 1` steps (room for the end token).
    public var maxLength: Int
    /// Gumbel-softmax temperature τ of the soft transfers.
    public var temperature: Float
    /// Whether the soft transfers add Gumbel noise (false: straight-through argmax).
    public var noise: Bool
    /// Weight of the identity loss -log p(x | x, s).
    public var identityWeight: Float
    /// Weight of the cycle loss -log p(x | T(x, s'), s).
    public var cycleWeight: Float
    /// Weight of the style loss -log C(s' | T(x, s')).
    public var styleWeight: Float
    /// Weight of the fluency loss: the target-style language model's expected NLL of T(x, s').
    public var fluencyWeight: Float
    /// Dropout on embeddings and attentional states.
    public var dropout: Float
    /// Special indices: padding, begin and end of sentence.
    public var padIndex: Int, beginIndex: Int, endIndex: Int

    /// A configuration; special indices default to `SpecialTokens.standard`'s (pad 0, bos 2, eos 3).
    public init(vocabulary: Int, embedding: Int = 64, hidden: Int = 128, maxLength: Int = 20, temperature: Float = 0.5,
                noise: Bool = true, identityWeight: Float = 1, cycleWeight: Float = 1, styleWeight: Float = 1,
                fluencyWeight: Float = 0.5, dropout: Float = 0, padIndex: Int = 0, beginIndex: Int = 2, endIndex: Int = 3) {
        self.vocabulary = vocabulary; self.embedding = embedding; self.hidden = hidden; self.maxLength = maxLength
        self.temperature = temperature; self.noise = noise
        self.identityWeight = identityWeight; self.cycleWeight = cycleWeight; self.styleWeight = styleWeight
        self.fluencyWeight = fluencyWeight; self.dropout = dropout
        self.padIndex = padIndex; self.beginIndex = beginIndex; self.endIndex = endIndex
    }

    /// Why the configuration cannot build a model, or nil.
    public var problem: String? {
        if maxLength < 1 { return "maxLength must be at least 1, got \(maxLength)" }
        if !(temperature > 0) { return "the temperature must be positive, got \(temperature)" }
        for (name, w) in [("identityWeight", identityWeight), ("cycleWeight", cycleWeight),
                          ("styleWeight", styleWeight), ("fluencyWeight", fluencyWeight)]
        where !(w >= 0 && w.isFinite) { return "\(name) must be a finite non-negative number, got \(w)" }
        return nil
    }
}
