/// In-place updates (Shared/Kernels/optim.cl).
extension OpenCLBackend {
    public func axpy(_ alpha: Float, _ x: Storage, _ y: Storage, count: Int) {
        run1D(
            "axpy", in: "optim.cl",
            [.float(alpha), .buffer(buffer(x, "axpy")), .buffer(buffer(y, "axpy")), .int(count)],
            count: count)
    }

    public func sgdStep(param: Storage, grad: Storage, count: Int, lr: Float, weightDecay: Float) {
        run1D(
            "sgd_step", in: "optim.cl",
            [
                .buffer(buffer(param, "sgdStep")), .buffer(buffer(grad, "sgdStep")), .int(count), .float(lr),
                .float(weightDecay)
            ], count: count)
    }
}
