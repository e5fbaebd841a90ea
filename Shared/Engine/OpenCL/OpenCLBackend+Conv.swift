/// Patch unfolding for convolution (Shared/Kernels/conv.cl).
extension OpenCLBackend {
    /// The geometry arguments both conv kernels take after their two buffers.
    private func geometryArguments(_ g: ConvGeometry, total: Int) -> [KernelArgument] {
        [
            .int(g.channels), .int(g.height), .int(g.width), .int(g.kernelH), .int(g.kernelW),
            .int(g.stride), .int(g.padding), .int(g.outH), .int(g.outW), .int(total)
        ]
    }

    public func im2col(_ x: Storage, _ g: ConvGeometry, into col: Storage) {
        let total = g.rows * g.patch
        run1D(
            "im2col", in: "conv.cl",
            [.buffer(buffer(x, "im2col")), .buffer(buffer(col, "im2col"))] + geometryArguments(g, total: total),
            count: total)
    }

    public func col2im(_ col: Storage, _ g: ConvGeometry, into out: Storage) {
        let total = g.batch * g.channels * g.height * g.width
        run1D(
            "col2im", in: "conv.cl",
            [.buffer(buffer(col, "col2im")), .buffer(buffer(out, "col2im"))] + geometryArguments(g, total: total),
            count: total)
    }
}
