/// The recurrent cell of a sequence-to-sequence model.
public enum RecurrentKind: String, Sendable, CaseIterable, Codable {
    /// Long short-term memory (state h and c).
    case lstm
    /// Gated recurrent unit (state h only).
    case gru
}

/// How Luong et al. (2015, section 3.1) score a decoder state h_t against an encoder output h̄_s.
public enum AttentionScore: String, Sendable, CaseIterable, Codable {
    /// score = h_tᵀ h̄_s.
    case dot
    /// score = h_tᵀ W_a h̄_s.
    case general
}

/// The sizes and choices of a `Seq2Seq` model.
public struct Seq2SeqConfig: Sendable, Equatable, Codable {
    /// Source vocabulary size (token indices 0..<sourceVocabulary).
    public var sourceVocabulary: Int
    /// Target vocabulary size.
    public var targetVocabulary: Int
    /// Source embedding width.
    public var sourceEmbedding: Int
    /// Target embedding width.
    public var targetEmbedding: Int
    /// Hidden width of the encoder and decoder (shared, so the encoder's final state starts the decoder).
    public var hidden: Int
    /// Stacked recurrent layers in the encoder and in the decoder.
    public var layers: Int
    /// LSTM or GRU.
    public var cell: RecurrentKind
    /// The attention score.
    public var score: AttentionScore
    /// Luong's input feeding (section 3.3): the previous attentional state h̃_{t-1} is concatenated
    /// to the decoder's input. Teacher forcing then runs step by step; without it, the decoder
    /// runs over the whole target at once and attention is one batched product.
    public var inputFeeding: Bool
    /// Dropout on the embeddings, between layers and on h̃ (training mode only).
    public var dropout: Float
    /// The padding index (its embedding stays zero; targets equal to it carry no loss).
    public var padIndex: Int
    /// The begin-of-sequence index that starts decoding.
    public var beginIndex: Int
    /// The end-of-sequence index that stops decoding.
    public var endIndex: Int

    /// A configuration; the special indices default to `SpecialTokens.standard`'s (pad 0, bos 2, eos 3).
    public init(sourceVocabulary: Int, targetVocabulary: Int, embedding: Int = 64, hidden: Int = 128, layers: Int = 1,
                cell: RecurrentKind = .lstm, score: AttentionScore = .general, inputFeeding: Bool = false, dropout: Float = 0,
                padIndex: Int = 0, beginIndex: Int = 2, endIndex: Int = 3) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.sourceEmbedding = embedding
        self.targetEmbedding = embedding
        self.hidden = hidden
        self.layers = layers
        self.cell = cell
        self.score = score
        self.inputFeeding = inputFeeding
        self.dropout = dropout
        self.padIndex = padIndex
        self.beginIndex = beginIndex
        self.endIndex = endIndex
    }

    /// Why the configuration cannot build a model, or nil.
    public var problem: String? {
        if sourceVocabulary <= 0 || targetVocabulary <= 0 {
            return "vocabulary sizes must be positive, got \(sourceVocabulary) and \(targetVocabulary)"
        }
        if sourceEmbedding <= 0 || targetEmbedding <= 0 || hidden <= 0 { return "embedding and hidden sizes must be positive" }
        if layers < 1 { return "layers must be at least 1, got \(layers)" }
        if !(0..<1).contains(dropout) { return "dropout must be in [0, 1), got \(dropout)" }
        for (name, i) in [("padIndex", padIndex), ("beginIndex", beginIndex), ("endIndex", endIndex)] {
            if i < 0 || i >= targetVocabulary { return "\(name) \(i) is outside the target vocabulary 0..<\(targetVocabulary)" }
        }
        if padIndex >= sourceVocabulary { return "padIndex \(padIndex) is outside the source vocabulary 0..<\(sourceVocabulary)" }
        return nil
    }
}
