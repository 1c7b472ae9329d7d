import Graft
import GraftNN

/// How a `SummaryReconstructorTrainer` trains.
public struct SummaryReconstructorSettings: Sendable, Equatable {
    /// Adam's learning rate.
    public var learningRate: Float = 3e-3
    /// The global norm the gradients are clipped to (nil: no clipping).
    public var clipNorm: Float? = 5

    /// The defaults above.
    public init() {}
}

/// Teacher-forced training of a `SummaryReconstructor` on its own, with nothing upstream: each
/// step minimises the reconstruction loss of Wang and Lee (2018, section 2.1),
///
///     L = −(1/Σ_b (|x_b| + 1)) Σ_b Σ_t log R(x_{b,t} | x_{b,<t}, s_b),
///
/// for given sequences s (distributions [B, K, V], one-hot for tokens) by Adam with the gradients
/// clipped to a global norm. With s the one-hot article and x its headline it is the supervised
/// summarizer (the upper bound the unpaired one is compared with); with s a constant sequence it
/// is a language model of the documents (the "no summary" baseline of the reconstructor's
/// accuracy). Parameters are the model's, then the copy gate's as `copyGate.…`.
public final class SummaryReconstructorTrainer {
    /// The settings.
    public let settings: SummaryReconstructorSettings
    /// The model being trained.
    public let reconstructor: SummaryReconstructor
    /// The trained parameters: the seq2seq model's, then the copy gate's.
    public let parameters: [(name: String, tensor: Tensor)]
    /// Adam over `parameters`.
    public let optimizer: Adam
    /// Steps taken so far.
    public internal(set) var stepsTaken = 0

    /// A trainer of `reconstructor`.
    public init(reconstructor: SummaryReconstructor, settings: SummaryReconstructorSettings = .init()) {
        self.settings = settings
        self.reconstructor = reconstructor
        let gate = reconstructor.copyGate?.namedParameters().map { (name: "copyGate.\($0.name)", tensor: $0.tensor) } ?? []
        parameters = reconstructor.model.namedParameters() + gate
        optimizer = Adam(parameters, learningRate: settings.learningRate)
    }

    /// One step on `documents` (tokens without begin or end) read from `sequences` [B, K, V] (row
    /// b's first `lengths[b]` positions real, all K when nil). Returns L before the step; throws
    /// `SummarizationError` (before any update) when it is not finite.
    @discardableResult
    public func step(sequences: Tensor, documents: [[Int]], lengths: [Int]? = nil) throws -> Double {
        stepsTaken += 1
        let loss = reconstructor.loss(summaries: sequences, documents: documents, lengths: lengths)
        let value = loss.item
        guard value.isFinite else { throw SummarizationError("the reconstruction loss became \(value) at step \(stepsTaken)") }
        optimizer.zeroGrad()
        loss.backward()
        if let clipNorm = settings.clipNorm { GradientClipping.clipNorm(parameters.map(\.tensor), maxNorm: clipNorm) }
        optimizer.step()
        return Double(value)
    }
}
