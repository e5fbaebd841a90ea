/// Convolution as one matrix product over the whole batch: the default for every backend, and what
/// the OpenCL backend runs (a GPU wants few, large launches).
///
/// Forward: `cols = im2col(x)` is `[N·OH·OW, C·KH·KW]`; `weight · colsᵀ`, started from the bias,
/// gives every channel of every output pixel in one product, channel-major `[F, N, OH·OW]`, and one
/// strided copy of runs of OH·OW pixels turns it into NCHW. Backward unfolds `x` again rather than
/// keeping `cols` from the forward pass: the patches are the biggest buffer of a step, and unfolding
/// costs far less than the products that use them.
extension Backend {
    public func conv2dForward(
        _ x: Storage, weight: Storage, bias: Storage?, filters: Int, _ g: ConvGeometry,
        into out: Storage
    ) {
        batchedConv2dForward(x, weight: weight, bias: bias, filters: filters, g, into: out)
    }

    public func conv2dBackward(
        _ gradOut: Storage, x: Storage, weight: Storage, filters: Int, _ g: ConvGeometry,
        dx: Storage?, dweight: Storage?, dbias: Storage?
    ) {
        batchedConv2dBackward(
            gradOut, x: x, weight: weight, filters: filters, g, dx: dx, dweight: dweight, dbias: dbias)
    }

    /// `conv2dForward` as one product over the batch (tested, like the CPU's tiers, against the plain
    /// loops of `ReferenceConvolution`).
    public func batchedConv2dForward(
        _ x: Storage, weight: Storage, bias: Storage?, filters: Int, _ g: ConvGeometry,
        into out: Storage
    ) {
        let rows = g.rows, patch = g.patch, pixels = g.outH * g.outW
        let cols = allocate(rows * patch)
        im2col(x, g, into: cols)
        // Channel-major rather than pixel-major because its layout change to NCHW moves whole runs
        // of P pixels, where a pixel-major one moves single numbers.
        let channelMajor = allocate(rows * filters)
        if let bias {
            copyStrided(bias, offset: 0, shape: [filters, rows], strides: [1, 0], into: channelMajor, outOffset: 0)
        }
        gemm(
            transA: false, transB: true, m: filters, n: rows, k: patch, alpha: 1,
            a: weight, aOffset: 0, lda: patch, b: cols, bOffset: 0, ldb: patch,
            beta: bias == nil ? 0 : 1, c: channelMajor, cOffset: 0, ldc: rows)
        // [F, N, P] read as [N, F, P]: the strided copy is the layout change to NCHW.
        copyStrided(
            channelMajor, offset: 0, shape: [g.batch, filters, pixels],
            strides: [pixels, rows, 1], into: out, outOffset: 0)
    }

    /// `conv2dBackward` as products over the batch.
    public func batchedConv2dBackward(
        _ gradOut: Storage, x: Storage, weight: Storage, filters: Int, _ g: ConvGeometry,
        dx: Storage?, dweight: Storage?, dbias: Storage?
    ) {
        let rows = g.rows, patch = g.patch, pixels = g.outH * g.outW
        // The output gradient back in channel-major order, [F, N·P].
        let gChannels = allocate(rows * filters)
        copyStrided(
            gradOut, offset: 0, shape: [filters, g.batch, pixels],
            strides: [pixels, filters * pixels, 1], into: gChannels, outOffset: 0)
        if let dx {
            // Patch gradients [N·P, patch] = gChannelsᵀ · weight, folded back onto the pixels.
            let gCols = allocate(rows * patch)
            gemm(
                transA: true, transB: false, m: rows, n: patch, k: filters, alpha: 1,
                a: gChannels, aOffset: 0, lda: rows, b: weight, bOffset: 0, ldb: patch,
                beta: 0, c: gCols, cOffset: 0, ldc: patch)
            col2im(gCols, g, into: dx)
        }
        if let dweight {
            // [F, patch] = gChannels [F, N·P] · cols [N·P, patch]
            let cols = allocate(rows * patch)
            im2col(x, g, into: cols)
            gemm(
                transA: false, transB: false, m: filters, n: patch, k: rows, alpha: 1,
                a: gChannels, aOffset: 0, lda: rows, b: cols, bOffset: 0, ldb: patch,
                beta: 0, c: dweight, cOffset: 0, ldc: patch)
        }
        if let dbias {
            reduce(.sum, gChannels, outer: filters, size: rows, inner: 1, into: dbias, indices: nil)
        }
    }
}
