/// In-place updates of a tensor's numbers, outside the graph: what optimisers do to `p.data`.
extension Tensor {
    /// `self += alpha * other`, in place and unrecorded (PyTorch's `p.data.add_(other, alpha:)`).
    public func addInPlace(_ other: Tensor, alpha: Float = 1) {
        check(other.shape == shape, "addInPlace", "shapes \(shape) and \(other.shape) differ")
        check(other.device == device, "addInPlace", "tensors are on different devices")
        check(isContiguous && offset == 0, "addInPlace", "the target must be a contiguous tensor")
        backend.axpy(alpha, other.contiguous().storage, storage, count: count)
    }

    /// Sets every element to zero, in place (`zero_()`).
    public func zero() {
        check(isContiguous && offset == 0, "zero", "the target must be a contiguous tensor")
        backend.fill(storage, count: count, value: 0)
    }

    /// Overwrites this tensor's numbers with `other`'s (same shape), in place (`p.data.copy_(other)`).
    public func assign(_ other: Tensor) {
        check(other.shape == shape, "assign", "shapes \(shape) and \(other.shape) differ")
        check(isContiguous && offset == 0, "assign", "the target must be a contiguous tensor")
        let source = other.to(device)
        backend.copyStrided(
            source.storage, offset: source.offset, shape: source.shape, strides: source.strides,
            into: storage, outOffset: 0)
    }

    /// The chapter's SGD update for this parameter, fused: `p -= lr * (grad + wd * p)`, then the
    /// gradient is zeroed.
    public func sgdStep(lr: Float, weightDecay: Float) {
        guard let grad else { return }
        check(
            isContiguous && offset == 0 && grad.isContiguous && grad.offset == 0, "sgdStep",
            "expects contiguous tensors")
        backend.sgdStep(param: storage, grad: grad.storage, count: count, lr: lr, weightDecay: weightDecay)
    }
}
