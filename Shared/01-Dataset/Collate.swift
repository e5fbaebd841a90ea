/// The chapter's `collate`: samples `indices` as one batch, `x` `[n, ...itemShape]` and `y` `[n]`,
/// each written straight into the batch rather than stacked.
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
