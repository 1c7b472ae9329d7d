/// Where a tensor's values live, and so which backend computes on them.
///
/// Every `TensorStorage` records its device; an op on a tensor runs on the backend of that
/// device (`Tensor.backend`). Graft has one device today; a CUDA backend adds a case here and
/// a `Backend` conformance under `Backend/CUDA/`.
public enum Device: Hashable, Sendable, CustomStringConvertible {
    /// Host memory, computed on by the CPU backend (SIMD kernels, a thread pool, SGEMM).
    case cpu

    /// The device's name, e.g. `cpu`.
    public var description: String {
        switch self {
        case .cpu: "cpu"
        }
    }

    /// The device that tensors created from host values (`Tensor([...])`, `zeros`, `randn`) live on.
    public static let `default`: Device = .cpu

    /// The backend that runs ops on tensors stored on this device.
    var backend: any Backend {
        switch self {
        case .cpu: CPUBackend.shared
        }
    }
}

extension Tensor {
    /// The device this tensor's values live on.
    public var device: Device { storage.device }

    /// The backend that computes ops on this tensor (its storage's device's backend).
    var backend: any Backend { storage.device.backend }

    /// The backend that creates tensors from host values.
    static var defaultBackend: any Backend { Device.default.backend }
}
