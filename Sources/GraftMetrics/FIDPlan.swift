/// How FID will be computed for two shapes and what that holds in memory, decided from the
/// shapes alone (the same shapes always take the same route, so the numbers are reproducible).
struct FIDPlan: Sendable, Equatable {
    /// The two ways to the trace of the matrix square root.
    enum Route: Sendable, Equatable {
        /// Through the d x d covariances (`GaussianStatistics`, `FID.traceSqrtProduct`).
        case covariance
        /// Through the n x n Gram matrix of the smaller set (`FIDGram`): when a set has fewer
        /// rows than features, its covariance is singular and everything lives in its row space.
        case gram
    }

    /// The route taken.
    let route: Route
    /// The memory estimate, with what to do when it does not fit.
    let memory: MemoryPlan

    /// Rows of the covariance route's centred chunks (`GaussianStatistics`) and of the Gram
    /// route's chunks of the larger set.
    static let chunkRows = 256

    /// The plan for sets of `rowsA` and `rowsB` rows of `features` values, named `nameA` and
    /// `nameB` in messages. The Gram route is taken when either set has fewer rows than features.
    ///
    /// Float64 peaks, in values: the covariance route holds both d x d covariances while the
    /// eigendecomposition of the first works on three more (its copy, its transpose, the sorted
    /// vectors) and the projections add up to one more: 6 d^2, plus two centred chunks of 256
    /// rows. The Gram route over the smaller set (s rows) holds its centred rows and their
    /// transpose (2 s d), a centred chunk of the larger set and its products (2 * 256 d, 2 * 256 s)
    /// and the s x s matrix with the eigensolver's copy and a symmetrised one (3 s^2).
    init(rowsA: Int, rowsB: Int, features d: Int, nameA: String, nameB: String) {
        let s = Double(min(rowsA, rowsB)), dd = Double(d), c = Double(Self.chunkRows)
        let shapes = "\(nameA) [\(rowsA), \(d)] and \(nameB) [\(rowsB), \(d)]"
        if min(rowsA, rowsB) < d {
            route = .gram
            let n = min(rowsA, rowsB)
            memory = MemoryPlan(work: "FID of \(shapes) through \(n) x \(n) Gram matrices",
                                bytes: 8 * (2 * s * dd + 2 * c * dd + 2 * c * s + 3 * s * s),
                                instead: "use fewer rows in the smaller set, or fewer features")
        } else {
            route = .covariance
            memory = MemoryPlan(work: "FID of \(shapes) through \(d) x \(d) covariance matrices",
                                bytes: 8 * (6 * dd * dd + 2 * c * dd),
                                instead: "use fewer features (a smaller feature layer or a random projection), "
                                    + "or fewer rows than features in one set, which FID handles through n x n matrices")
        }
    }
}
