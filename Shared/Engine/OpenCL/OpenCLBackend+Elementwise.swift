/// Element-wise kernels (Shared/Kernels/elementwise.cl).
extension OpenCLBackend {
    public func unary(_ op: UnaryOp, _ x: Storage, offset: Int, count: Int, param: Float, into out: Storage) {
        run1D(
            "unary", in: "elementwise.cl",
            [
                .int(Int(op.rawValue)), .buffer(buffer(x, "unary")), .int(offset), .buffer(buffer(out, "unary")),
                .int(count), .float(param)
            ], count: count)
    }

    public func binary(_ op: BinaryOp, _ a: Storage, _ b: Storage, plan: BroadcastPlan, into out: Storage) {
        let count = plan.count
        guard count > 0 else { return }
        let (dims, strides) = collapse(shape: plan.shape, strides: [plan.aStrides, plan.bStrides])
        check(
            dims.count <= 8, "binary", "layouts of more than 8 axes are not supported on the GPU (shape \(plan.shape))")
        run1D(
            "binary", in: "elementwise.cl",
            [
                .int(Int(op.rawValue)), .buffer(buffer(a, "binary")), .int(plan.aOffset),
                .buffer(buffer(b, "binary")), .int(plan.bOffset), .buffer(buffer(out, "binary")), .int(count),
                .int(dims.count), .int8(dims, pad: 1), .int8(strides.map { $0[0] }, pad: 0),
                .int8(strides.map { $0[1] }, pad: 0)
            ], count: count)
    }

    public func affine(_ x: Storage, offset: Int, count: Int, scale: Float, shift: Float, into out: Storage) {
        run1D(
            "affine", in: "elementwise.cl",
            [
                .buffer(buffer(x, "affine")), .int(offset), .buffer(buffer(out, "affine")), .int(count),
                .float(scale), .float(shift)
            ], count: count)
    }
}
