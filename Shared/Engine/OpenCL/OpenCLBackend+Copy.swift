/// Filling and strided copies (Shared/Kernels/copy.cl).
extension OpenCLBackend {
    public func fill(_ out: Storage, count: Int, value: Float) {
        run1D("fill", in: "copy.cl", [.buffer(buffer(out, "fill")), .int(count), .float(value)], count: count)
    }

    public func copyStrided(
        _ src: Storage, offset: Int, shape: [Int], strides: [Int], into out: Storage, outOffset: Int
    ) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        // Merged axes first: a permuted 4-d view is often a 2- or 3-d walk.
        let (dims, collapsed) = collapse(shape: shape, strides: [strides])
        check(
            dims.count <= 8, "copyStrided", "layouts of more than 8 axes are not supported on the GPU (shape \(shape))")
        run1D(
            "copy_strided", in: "copy.cl",
            [
                .buffer(buffer(src, "copyStrided")), .int(offset), .buffer(buffer(out, "copyStrided")), .int(outOffset),
                .int(count), .int(dims.count), .int8(dims, pad: 1), .int8(collapsed.map { $0[0] }, pad: 0)
            ],
            count: count)
    }
}
