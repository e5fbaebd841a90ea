/// One mini-batch: inputs and targets (`xb, yb` in the chapter).
public typealias Batch = (x: Tensor, y: Tensor)

/// A pass over an epoch's batches; `next()` throws a batch's error (a corrupt file) into the training loop.
public protocol BatchIterator {
    /// The next batch, or nil at the end of the epoch.
    mutating func next() throws -> Batch?
}

/// What the Learner iterates once per epoch: a `DataLoader`, or `InMemoryBatches`.
public protocol BatchProvider {
    /// Batches per epoch (`len(dl)`).
    var count: Int { get }
    /// A fresh pass over the batches.
    func makeBatchIterator() -> any BatchIterator
}
