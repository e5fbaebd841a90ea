/// In-place updates (Shared/Kernels/optim.cl).
extension OpenCLBackend {
    public func axpy(_ alpha: Float, _ x: Storage, _ y: Storage, count: Int) {
        run1D(
            "axpy", in: "optim.cl",
            [.float(alpha), .buffer(buffer(x, "axpy")), .buffer(buffer(y, "axpy")), .int(count)],
            count: count)
    }
}
