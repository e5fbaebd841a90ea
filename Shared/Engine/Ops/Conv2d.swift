/// 2-d convolution on NCHW tensors (PyTorch's `F.conv2d`). The arithmetic is the backend's
/// (`conv2dForward`/`conv2dBackward`): patches unfolded by im2col and matrix products, per image
/// on the CPU (`CPUBackend+Conv.swift`), over the whole batch on the GPU (`BatchedConvolution.swift`).
extension Tensor {
    /// Convolves `x` with `weight`, adding `bias` per output channel.
    ///
    /// x: [N, C, H, W], weight: [F, C, KH, KW], bias: [F] → [N, F, (H + 2p − KH)/s + 1, (W + 2p − KW)/s + 1]
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0)
        -> Tensor
    {
        let op = "conv2d"
        check(x.rank == 4, op, "input must be [N, C, H, W], got \(x.shape)")
        check(weight.rank == 4, op, "weight must be [F, C, KH, KW], got \(weight.shape)")
        check(
            x.shape[1] == weight.shape[1], op,
            "input \(x.shape) has \(x.shape[1]) channels but weight \(weight.shape) expects \(weight.shape[1])")
        check(stride >= 1 && padding >= 0, op, "stride must be ≥ 1 and padding ≥ 0, got \(stride) and \(padding)")
        check(
            x.device == weight.device, op,
            "input and weight are on different devices (\(x.device) and \(weight.device))")
        if let bias {
            check(bias.shape == [weight.shape[0]], op, "bias must be [\(weight.shape[0])], got \(bias.shape)")
            check(bias.device == x.device, op, "bias is on \(bias.device), input on \(x.device)")
        }
        let geometry = ConvGeometry(
            batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
            kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride, padding: padding)
        check(
            geometry.outH > 0 && geometry.outW > 0, op,
            "a \(weight.shape[2])×\(weight.shape[3]) kernel does not fit input \(x.shape) with padding \(padding)")
        let backend = x.backend
        let filters = weight.shape[0]
        let input = x.contiguous(), w = weight.contiguous(), b = bias?.contiguous()
        let out = backend.allocate(geometry.batch * filters * geometry.outH * geometry.outW)
        backend.conv2dForward(input.storage, weight: w.storage, bias: b?.storage, filters: filters, geometry, into: out)
        let outShape = [geometry.batch, filters, geometry.outH, geometry.outW]
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }

        return result(op, storage: out, shape: outShape, inputs: inputs, saving: [input, w]) { g, _ in
            let backend = g.backend
            let grad = g.contiguous()
            let dx = x.requiresGrad ? backend.allocate(x.count) : nil
            let dw = weight.requiresGrad ? backend.allocate(weight.count) : nil
            let db = bias?.requiresGrad == true ? backend.allocate(filters) : nil
            backend.conv2dBackward(
                grad.storage, x: input.storage, weight: w.storage, filters: filters, geometry,
                dx: dx, dweight: dw, dbias: db)
            var grads: [Tensor?] = [
                dx.map { Tensor(storage: $0, shape: x.shape) },
                dw.map { Tensor(storage: $0, shape: weight.shape) }
            ]
            if bias != nil { grads.append(db.map { Tensor(storage: $0, shape: [filters]) }) }
            return grads
        }
    }
}

/// `F.conv2d`, as a free function.
public func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    Tensor.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
}
