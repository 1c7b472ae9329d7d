/// Why a transfer-learning recipe refused its inputs: each case names what was given and what
/// was expected, so a lab can print it as it is.
public enum TransferError: Error, CustomStringConvertible, Equatable {
    /// A layer count or index outside the model: `what` names the request, `layers` the model's size.
    case layerOutOfRange(what: String, layers: Int)
    /// A copied tensor's shape differs between the source and the target model.
    case shapeMismatch(key: String, source: [Int], target: [Int])
    /// The source model has a parameter or buffer the target lacks (or the reverse) at a copied layer.
    case missingKey(key: String, in: String)
    /// A data matrix is unusable: `what` names it, `reason` says what was expected.
    case invalidData(what: String, reason: String)
    /// A setting is outside its range: `name` and what was expected.
    case invalidSetting(name: String, reason: String)

    /// A message naming the model, key or matrix and what was expected.
    public var description: String {
        switch self {
        case let .layerOutOfRange(what, layers):
            return "\(what) is out of range for a model of \(layers) layers"
        case let .shapeMismatch(key, source, target):
            return "cannot copy '\(key)': the source has shape \(source), the target \(target)"
        case let .missingKey(key, model):
            return "'\(key)' is missing from the \(model) model"
        case let .invalidData(what, reason):
            return "\(what): \(reason)"
        case let .invalidSetting(name, reason):
            return "\(name): \(reason)"
        }
    }
}
