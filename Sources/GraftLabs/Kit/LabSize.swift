/// How big a lab's run is: `quick`, a smoke run of seconds that the tests and `graft demo
/// --quick` use, or `full`, the paper's protocol as far as the machine allows.
public enum LabSize: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Small data, few steps: seconds per lab.
    case quick
    /// The paper's protocol as far as the machine allows: minutes to hours.
    case full

    /// The name on the command line.
    public var description: String { rawValue }
}
