/// Reductions over axes, with PyTorch's `keepdim`: sum, mean, std, max (values and indices), argmax,
/// logsumexp. Backward beside forward.
extension Tensor {
    /// The axes normalised, sorted and without repeats.
    func normalize(axes: [Int], op: String) -> [Int] {
        Array(Set(axes.map { normalize(axis: $0, op: op) })).sorted()
    }

    /// The shape left after reducing `axes` (size 1 there when `keepDim`).
    func reducedShape(_ axes: [Int], keepDim: Bool) -> [Int] {
        keepDim
            ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
            : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// A view that repeats size-1 axes up to `target` (`expand`), reading each repeated element
    /// again instead of copying it.
    public func expand(_ target: [Int]) -> Tensor {
        check(
            target.count >= rank && Tensor.broadcastShape(shape, target, op: "expand") == target, "expand",
            "cannot expand shape \(shape) to \(target)")
        let original = shape
        return view("expand", shape: target, strides: broadcastStrides(to: target), offset: offset) { g, _ in
            [g.sumTo(original)]
        }
    }

    /// Sum over `axes` (all axes when empty), keeping them as size 1 when `keepDim`.
    public func sum(axes: [Int], keepDim: Bool = false) -> Tensor {
        let axes = axes.isEmpty ? Array(0..<rank) : normalize(axes: axes, op: "sum")
        guard !axes.isEmpty else { return self }
        let outShape = reducedShape(axes, keepDim: keepDim)
        let keptShape = reducedShape(axes, keepDim: true)
        let storage: Storage
        if axes.last! - axes.first! == axes.count - 1 {
            // The axes form one block: one kernel over [outer, size, inner].
            let source = contiguous()
            let outer = shape[..<axes.first!].reduce(1, *)
            let size = axes.map { shape[$0] }.reduce(1, *)
            let inner = shape[(axes.last! + 1)...].reduce(1, *)
            storage = backend.allocate(outer * inner)
            backend.reduce(.sum, source.storage, outer: outer, size: size, inner: inner, into: storage, indices: nil)
        } else {
            // Scattered axes: reduce the last one, then the rest (sums are associative).
            storage =
                noGrad { sum(axes: [axes.last!], keepDim: true).sum(axes: Array(axes.dropLast()), keepDim: true) }
                .contiguous().storage
        }
        let inputShape = shape
        return Tensor.result("sum", storage: storage, shape: outShape, inputs: [self], saving: []) { g, _ in
            [g.reshape(keptShape).expand(inputShape).contiguous()]
        }
    }

    /// `sum` with the axes as arguments: `x.sum(0, 1)`.
    public func sum(_ axes: Int..., keepDim: Bool = false) -> Tensor { sum(axes: axes, keepDim: keepDim) }

    /// The mean over `axes` (all when empty).
    public func mean(axes: [Int], keepDim: Bool = false) -> Tensor {
        let axes = axes.isEmpty ? Array(0..<rank) : normalize(axes: axes, op: "mean")
        let n = axes.map { shape[$0] }.reduce(1, *)
        return sum(axes: axes, keepDim: keepDim) / Float(Swift.max(n, 1))
    }

    /// `mean` with the axes as arguments: `xb.mean(0, 1, 2)` is the chapter's `xb.mean((0,1,2))`.
    public func mean(_ axes: Int..., keepDim: Bool = false) -> Tensor { mean(axes: axes, keepDim: keepDim) }

    /// The standard deviation over `axes`, with Bessel's correction (n − 1) as `torch.std` uses.
    public func std(axes: [Int], keepDim: Bool = false, unbiased: Bool = true) -> Tensor {
        let axes = axes.isEmpty ? Array(0..<rank) : normalize(axes: axes, op: "std")
        let n = axes.map { shape[$0] }.reduce(1, *)
        let centred = self - mean(axes: axes, keepDim: true)
        let variance = (centred * centred).sum(axes: axes, keepDim: keepDim) / Float(Swift.max(unbiased ? n - 1 : n, 1))
        return variance.sqrt()
    }

    /// `std` with the axes as arguments.
    public func std(_ axes: Int..., keepDim: Bool = false) -> Tensor {
        std(axes: axes, keepDim: keepDim, unbiased: true)
    }

    /// The largest values along `axis` and where they are (`x.max(dim)` returns both in PyTorch).
    /// Indices are whole numbers stored as Float, the engine's one element type.
    public func max(axis: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        let a = normalize(axis: axis, op: "max")
        let source = contiguous()
        let outer = shape[..<a].reduce(1, *), size = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        check(size > 0, "max", "cannot reduce an empty axis of shape \(shape)")
        let values = backend.allocate(outer * inner), indices = backend.allocate(outer * inner)
        backend.reduce(.max, source.storage, outer: outer, size: size, inner: inner, into: values, indices: indices)
        let outShape = reducedShape([a], keepDim: keepDim)
        let keptShape = reducedShape([a], keepDim: true)
        let indexTensor = Tensor(storage: indices, shape: outShape)
        let inputShape = shape
        let valueTensor = Tensor.result(
            "max", storage: values, shape: outShape, inputs: [self], saving: [indexTensor]
        ) { g, _ in
            // The gradient goes to the one position that won: a one-hot mask along the axis.
            var positionShape = [Int](repeating: 1, count: inputShape.count)
            positionShape[a] = size
            let positions = Tensor.arange(size, device: g.device).reshape(positionShape)
            let mask = positions == indexTensor.reshape(keptShape)
            return [(g.reshape(keptShape) * mask).expand(inputShape).contiguous()]
        }
        return (valueTensor, indexTensor)
    }

    /// The largest element of the whole tensor.
    public func max() -> Tensor { reshape([count]).max(axis: 0).values }

    /// Positions of the largest values along `axis` (`argmax(dim=1)` picks each row's class).
    public func argmax(axis: Int, keepDim: Bool = false) -> Tensor {
        noGrad { max(axis: axis, keepDim: keepDim).indices }
    }

    /// log Σ exp(x) along `axis`, computed as `m + log Σ exp(x − m)` with `m` the maximum so that
    /// large inputs do not overflow: the LogSumExp trick of the chapter.
    public func logsumexp(axis: Int, keepDim: Bool = false) -> Tensor {
        let m = max(axis: axis, keepDim: true).values.detach()
        let s = (self - m).exp().sum(axes: [axis], keepDim: true).log() + m
        return keepDim ? s : s.squeeze(axis)
    }
}
