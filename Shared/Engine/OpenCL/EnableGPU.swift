#if canImport(Glibc)
    import Glibc
#endif

/// Makes `.gpu` mean the OpenCL backend, if this machine has an OpenCL device; returns whether it does.
///
/// The engine core knows the GPU only through `GPUBackendRegistry.provider`, so it never imports
/// OpenCL; this installs the provider. The chapter runner calls it for `--device gpu`: on `false` it
/// keeps computing on `.cpu` (the reason has been printed to standard error, with the device line
/// `OpenCLBackend.describe()` gives).
///
///     let device: Device = enableGPU() ? .gpu : .cpu
@discardableResult
public func enableGPU() -> Bool {
    guard let backend = OpenCLBackend.shared else { return false }
    GPUBackendRegistry.provider = { backend }
    return true
}
