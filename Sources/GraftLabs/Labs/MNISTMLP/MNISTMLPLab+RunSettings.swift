extension MNISTMLPLab {
    /// The hyperparameters `graft train mnist-mlp` sets, as its options name them: a run with
    /// other values does not resume this one's checkpoint.
    public var runSettings: [String: String] {
        ["--epochs": settings.epochs.map(String.init) ?? "default", "--batch-size": String(settings.batchSize),
         "--learning-rate": "\(settings.learningRate)"]
    }
}
