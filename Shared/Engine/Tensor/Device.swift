/// Where a tensor's numbers live: in host memory, or in an OpenCL device's memory.
///
/// PyTorch spells this `tensor.device` and moves data with `.cuda()` / `.cpu()`; here a tensor moves
/// with `to(.gpu)` / `to(.cpu)`, and a module moves every parameter with `to(_:)`.
public enum Device: String, CaseIterable, CustomStringConvertible, Sendable {
    /// Host memory, computed with OpenBLAS and vectorised Swift loops.
    case cpu
    /// An OpenCL device (a GPU when one is present), computed with the kernels in `Shared/Kernels/`.
    case gpu

    public var description: String { rawValue }
}
