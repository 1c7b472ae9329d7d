import Graft

/// Sizes, rates and special tokens of an `UnsupervisedSummarizer` (Wang and Lee 2018). Documents
/// and summaries share one vocabulary, so that summary words can be scored against headlines.
public struct SummarizerSettings: Codable, Sendable, Equatable {
    /// Tokens 0..<vocabulary, shared by documents and summaries.
    public var vocabulary: Int
    /// K: every summary is exactly K tokens (words, then the end token repeated once it ends).
    public var summaryLength: Int
    /// Embedding width of the generator and the reconstructor.
    public var embedding = 64
    /// Hidden width of the generator's and the reconstructor's LSTMs.
    public var hidden = 128
    /// τ of the Gumbel-softmax.
    public var temperature: Float = 1
    /// Whether the reconstructor and the discriminator read straight-through one-hot samples
    /// during training (true) or the soft Gumbel-softmax samples themselves (false; evaluation
    /// always reads one-hot greedy summaries).
    public var straightThrough = true
    /// λ: weight of the adversarial term in the generator's loss (0 trains a plain auto-encoder
    /// through the discrete bottleneck, with no discriminator).
    public var adversarialWeight: Float = 0.5
    /// Whether G and R are pointer-generators (`PointerGenerator`, as Wang and Lee's generator):
    /// G may copy document words into the summary, R summary words into the document.
    public var copy = false
    /// Whether greedy summaries skip words already written in the same summary
    /// (`SummaryGenerator.greedy(blockRepeats:)`); training samples are never constrained.
    public var blockRepeatedWords = false
    /// Warm-up: the first `warmUpSteps` steps train G and R as a plain auto-encoder (λ = 0, D
    /// untouched) before the discriminator joins, so that R already reads the summaries when D
    /// starts to pull them towards headlines.
    public var warmUpSteps = 0
    /// Adam's rate for the generator and the reconstructor.
    public var learningRate: Float = 3e-3
    /// Adam's rate for the discriminator.
    public var discriminatorLearningRate: Float = 1e-3
    /// The discriminator's embedding width.
    public var discriminatorEmbedding = 32
    /// The discriminator's window widths (each at most `summaryLength`).
    public var discriminatorWidths = [1, 2, 3]
    /// Feature maps per window width.
    public var discriminatorMaps = [32, 32, 32]
    /// Global gradient-norm clip of the generator and reconstructor step.
    public var clipNorm: Float = 5
    /// The padding token (never in a summary; its embedding stays zero).
    public var padIndex = 0
    /// The begin token that starts every decoder.
    public var beginIndex = 2
    /// The end token: a summary's words stop at its first end token.
    public var endIndex = 3
    /// Tokens the generator may never emit (by default pad, unknown and begin of
    /// `SpecialTokens.standard`).
    public var forbidden = [0, 1, 2]

    /// Settings for `vocabulary` tokens and summaries of `summaryLength`, the rest at the defaults.
    public init(vocabulary: Int, summaryLength: Int) {
        self.vocabulary = vocabulary
        self.summaryLength = summaryLength
    }

    /// Why the settings cannot build a summarizer, or nil.
    public var problem: String? {
        if vocabulary <= 0 || summaryLength <= 0 { return "vocabulary and summaryLength must be positive, got \(vocabulary) and \(summaryLength)" }
        if !(temperature > 0) { return "the Gumbel-softmax temperature must be positive, got \(temperature)" }
        if !(adversarialWeight >= 0) { return "the adversarial weight must not be negative, got \(adversarialWeight)" }
        if warmUpSteps < 0 { return "the warm-up steps must not be negative, got \(warmUpSteps)" }
        if discriminatorWidths.isEmpty || discriminatorWidths.count != discriminatorMaps.count {
            return "the discriminator needs one feature-map count per window width, got \(discriminatorWidths) and \(discriminatorMaps)"
        }
        if let w = discriminatorWidths.first(where: { $0 < 1 || $0 > summaryLength }) {
            return "discriminator window width \(w) does not fit summaries of \(summaryLength) tokens"
        }
        if let f = forbidden.first(where: { $0 < 0 || $0 >= vocabulary }) {
            return "forbidden token \(f) is outside the vocabulary 0..<\(vocabulary)"
        }
        if forbidden.contains(endIndex) { return "the end token \(endIndex) cannot be forbidden: summaries end with it" }
        if Set(forbidden).count >= vocabulary { return "every token is forbidden" }
        return nil
    }
}

/// A summarizer could not be built or a loss became NaN or infinite; says which and where.
public struct SummarizationError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, with where.
    public let message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
