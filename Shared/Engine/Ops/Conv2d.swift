/// 2-d convolution on NCHW tensors (PyTorch's `F.conv2d`), by unfolding patches (im2col) and one
/// matrix product over the whole batch.
extension Tensor {
    /// Convolves `x` with `weight`, adding `bias` per output channel.
    ///
    /// x: [N, C, H, W], weight: [F, C, KH, KW], bias: [F] → [N, F, (H + 2p − KH)/s + 1, (W + 2p − KW)/s + 1]
    ///
    /// Forward: `cols = im2col(x)` is `[N·OH·OW, C·KH·KW]`; `weight · colsᵀ` (with the bias preloaded
    /// into the output) gives every channel of every output pixel in one product; one strided copy
    /// of runs of OH·OW pixels turns that channel-major `[F, N, OH·OW]` result into NCHW. Backward
    /// reuses `cols` for the weight gradient and folds the patch gradients back with `col2im`.
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
        let op = "conv2d"
        check(x.rank == 4, op, "input must be [N, C, H, W], got \(x.shape)")
        check(weight.rank == 4, op, "weight must be [F, C, KH, KW], got \(weight.shape)")
        check(x.shape[1] == weight.shape[1], op, "input \(x.shape) has \(x.shape[1]) channels but weight \(weight.shape) expects \(weight.shape[1])")
        check(stride >= 1 && padding >= 0, op, "stride must be ≥ 1 and padding ≥ 0, got \(stride) and \(padding)")
        check(x.device == weight.device, op, "input and weight are on different devices (\(x.device) and \(weight.device))")
        if let bias {
            check(bias.shape == [weight.shape[0]], op, "bias must be [\(weight.shape[0])], got \(bias.shape)")
            check(bias.device == x.device, op, "bias is on \(bias.device), input on \(x.device)")
        }
        let geometry = ConvGeometry(batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                                    kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
        check(geometry.outH > 0 && geometry.outW > 0, op,
              "a \(weight.shape[2])×\(weight.shape[3]) kernel does not fit input \(x.shape) with padding \(padding)")
        let backend = x.backend
        let filters = weight.shape[0], rows = geometry.rows, patch = geometry.patch
        let pixels = geometry.outH * geometry.outW
        let input = x.contiguous(), w = weight.contiguous()

        let cols = backend.allocate(rows * patch)
        backend.im2col(input.storage, geometry, into: cols)
        // Channel-major result [F, N·P] = weight [F, patch] · colsᵀ, starting from the bias (or zero)
        // so that gemm adds onto it. Channel-major rather than pixel-major because its layout change
        // to NCHW moves whole runs of P pixels, where a pixel-major one moves single numbers.
        let channelMajor = backend.allocate(rows * filters)
        if let bias {
            let b = bias.contiguous()
            backend.copyStrided(b.storage, offset: 0, shape: [filters, rows], strides: [1, 0], into: channelMajor, outOffset: 0)
        }
        backend.gemm(transA: false, transB: true, m: filters, n: rows, k: patch, alpha: 1,
                     a: w.storage, aOffset: 0, lda: patch, b: cols, bOffset: 0, ldb: patch,
                     beta: bias == nil ? 0 : 1, c: channelMajor, cOffset: 0, ldc: rows)
        let out = backend.allocate(rows * filters)
        // [F, N, P] read as [N, F, P]: the strided copy is the layout change to NCHW.
        backend.copyStrided(channelMajor, offset: 0, shape: [geometry.batch, filters, pixels],
                            strides: [pixels, rows, 1], into: out, outOffset: 0)
        let outShape = [geometry.batch, filters, geometry.outH, geometry.outW]
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }

        return result(op, storage: out, shape: outShape, inputs: inputs) { g, _ in
            let backend = g.backend
            let grad = g.contiguous()
            // The output gradient back in channel-major order, [F, N·P].
            let gChannels = backend.allocate(rows * filters)
            backend.copyStrided(grad.storage, offset: 0, shape: [filters, geometry.batch, pixels],
                                strides: [pixels, filters * pixels, 1], into: gChannels, outOffset: 0)
            var grads: [Tensor?] = []
            if x.requiresGrad {
                // Patch gradients [N·P, patch] = gChannelsᵀ · weight, folded back onto the pixels.
                let gCols = backend.allocate(rows * patch)
                backend.gemm(transA: true, transB: false, m: rows, n: patch, k: filters, alpha: 1,
                             a: gChannels, aOffset: 0, lda: rows, b: w.storage, bOffset: 0, ldb: patch,
                             beta: 0, c: gCols, cOffset: 0, ldc: patch)
                let dx = backend.allocate(x.count)
                backend.col2im(gCols, geometry, into: dx)
                grads.append(Tensor(storage: dx, shape: x.shape))
            } else {
                grads.append(nil)
            }
            if weight.requiresGrad {
                // [F, patch] = gChannels [F, N·P] · cols [N·P, patch]
                let dw = backend.allocate(weight.count)
                backend.gemm(transA: false, transB: false, m: filters, n: patch, k: rows, alpha: 1,
                             a: gChannels, aOffset: 0, lda: rows, b: cols, bOffset: 0, ldb: patch,
                             beta: 0, c: dw, cOffset: 0, ldc: patch)
                grads.append(Tensor(storage: dw, shape: weight.shape))
            } else {
                grads.append(nil)
            }
            if bias != nil {
                let db = backend.allocate(filters)
                backend.reduce(.sum, gChannels, outer: filters, size: rows, inner: 1, into: db, indices: nil)
                grads.append(Tensor(storage: db, shape: [filters]))
            }
            return grads
        }
    }
}

/// `F.conv2d`, as a free function.
public func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    Tensor.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
}
