/// Why a metric refused its inputs: a wrong shape, too few rows, a value that is not finite, or
/// a parameter out of range. The message names the input (a file path when the input came from
/// one), the row and what was expected.
public struct MetricError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was wrong, naming the input and the row where it applies.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
