/// In-place updates of a tensor's numbers, outside the graph: what optimisers do to `p.data`.
///
/// None of these is recorded for autograd. Each one adds one to the storage's `version`, so that a
/// tensor changed after an op saved it for its backward is caught by `backward()` instead of giving
/// silently wrong gradients (PyTorch's version counter).
extension Tensor {
    /// `target -= update`, in place (the chapter's `p.data -= …`, PyTorch's `sub_`).
    public static func -= (target: Tensor, update: Tensor) { target.addInPlace(update, alpha: -1) }

    /// `target += update`, in place (PyTorch's `add_`).
    public static func += (target: Tensor, update: Tensor) { target.addInPlace(update) }

    /// `self += alpha * other`, in place (PyTorch's `p.data.add_(other, alpha:)`).
    public func addInPlace(_ other: Tensor, alpha: Float = 1) {
        check(other.shape == shape, "addInPlace", "shapes \(shape) and \(other.shape) differ")
        check(other.device == device, "addInPlace", "tensors are on different devices")
        check(isContiguous && offset == 0, "addInPlace", "the target must be a contiguous tensor")
        backend.axpy(alpha, other.contiguous().storage, storage, count: count)
        storage.version += 1
    }

    /// Sets every element to zero, in place (`zero_()`).
    public func zero() {
        check(isContiguous && offset == 0, "zero", "the target must be a contiguous tensor")
        backend.fill(storage, count: count, value: 0)
        storage.version += 1
    }

    /// Overwrites this tensor's numbers with `other`'s (same shape), in place (`p.data.copy_(other)`).
    public func assign(_ other: Tensor) {
        check(other.shape == shape, "assign", "shapes \(shape) and \(other.shape) differ")
        check(isContiguous && offset == 0, "assign", "the target must be a contiguous tensor")
        let source = other.to(device)
        backend.copyStrided(
            source.storage, offset: source.offset, shape: source.shape, strides: source.strides,
            into: storage, outOffset: 0)
        storage.version += 1
    }
}
