/// Samples `indices` of `dataset` gathered into one batch (the chapter's `collate`): `x` is
/// `[n, ...itemShape]` (`[n, 64, 64, 3]` for images) and `y` is `[n]`.
///
/// Where the chapter builds each sample's tensor and stacks them, this writes every sample straight
/// into the batch tensor's memory: the same result without `n` intermediate tensors.
public func collate(_ indices: [Int], _ dataset: some Dataset) throws -> (x: Tensor, y: Tensor) {
    try collate(indices, dataset, writer: dataset.makeItemWriter(), itemShape: dataset.itemShape)
}

/// `collate` with a writer the caller keeps (one per DataLoader worker) and the item shape known.
func collate(
    _ indices: [Int], _ dataset: any Dataset, writer: any DatasetItemWriter, itemShape: [Int],
    shouldStop: () -> Bool = { false }
) throws -> (x: Tensor, y: Tensor) {
    let itemCount = itemShape.reduce(1, *)
    var labels = [Float](repeating: 0, count: indices.count)
    let x = try Tensor(shape: [indices.count] + itemShape) { buffer in
        for (n, i) in indices.enumerated() {
            if shouldStop() { throw CancellationError() }
            let slot = UnsafeMutableBufferPointer(rebasing: buffer[(n * itemCount)..<((n + 1) * itemCount)])
            labels[n] = try writer.write(i, into: slot)
        }
    }
    return (x, Tensor(labels, shape: [indices.count]))
}
