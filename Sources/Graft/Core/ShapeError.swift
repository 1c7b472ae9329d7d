/// A shape, axis or argument that an operation cannot accept.
///
/// Operations validate their arguments with throwing checks (so tests and callers that want
/// to recover can observe the error) and stop with this message otherwise, the way an out of
/// range array index stops a Swift program: a wrong shape in model code is a programming error.
public struct ShapeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operation that refused its arguments, e.g. "add" or "matmul".
    public let op: String
    /// What was wrong, naming the shapes or values involved.
    public let message: String

    /// Creates an error for `op` with an explanation.
    public init(op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    /// "op: message".
    public var description: String { "\(op): \(message)" }
}

/// Formats a shape the way error messages print it: `[2, 3]`, `[]` for a scalar.
func shapeString(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

/// Runs a throwing shape check and stops the program with the error's message if it fails.
@inline(__always)
func checked<T>(_ body: () throws(ShapeError) -> T) -> T {
    do { return try body() } catch { graftFatal(error) }
}

/// Stops the program with a Graft error message.
func graftFatal(_ error: ShapeError, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("Graft error in \(error)", file: file, line: line)
}
