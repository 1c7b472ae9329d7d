/// Why a zero-shot recipe refused its inputs or stopped: each case names what was given and
/// what was expected, so a lab can print it as it is.
public enum ZeroShotError: Error, CustomStringConvertible, Equatable {
    /// A matrix or label list is unusable: `what` names it, `reason` says what was expected.
    case invalidData(what: String, reason: String)
    /// A setting is outside its range: `name` and what was expected.
    case invalidSetting(name: String, reason: String)
    /// Training produced a loss that is not a number: `what` was trained, `step` counts from 1.
    case nonFiniteLoss(what: String, step: Int, value: Float)

    /// A message naming the data, setting or training step and what was expected.
    public var description: String {
        switch self {
        case let .invalidData(what, reason): return "\(what): \(reason)"
        case let .invalidSetting(name, reason): return "\(name): \(reason)"
        case let .nonFiniteLoss(what, step, value): return "\(what): the training loss became \(value) at step \(step)"
        }
    }
}
