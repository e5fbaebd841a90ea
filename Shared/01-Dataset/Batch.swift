/// One mini-batch: inputs and targets (`xb, yb` in the chapter).
public typealias Batch = (x: Tensor, y: Tensor)

/// A pass over an epoch's batches. `next()` throws when a batch cannot be made (a corrupt image
/// file, say), so the error reaches the training loop instead of a worker thread.
public protocol BatchIterator {
    /// The next batch, or nil at the end of the epoch.
    mutating func next() throws -> Batch?
}

/// Something that can be iterated over once per epoch, batch by batch: the `DataLoader` of this
/// section, or tensors already in memory (`InMemoryBatches`, with the Learner). The Learner takes
/// its data through this protocol, which is why it is declared here, where batches first appear.
public protocol BatchProvider {
    /// Batches per epoch (`len(dl)`).
    var count: Int { get }
    /// A fresh pass over the batches.
    func makeBatchIterator() -> any BatchIterator
}
