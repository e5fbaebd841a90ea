/// Batches cut from tensors already in memory, in order: handy in tests and exercises, where
/// decoding images would only slow things down.
public struct InMemoryBatches: BatchProvider {
    /// All inputs, batch axis first, and all targets.
    public let x: Tensor, y: Tensor
    /// Batch size.
    public let bs: Int

    public init(x: Tensor, y: Tensor, bs: Int) {
        check(x.shape.first == y.shape.first, "InMemoryBatches", "x \(x.shape) and y \(y.shape) differ in length")
        self.x = x
        self.y = y
        self.bs = bs
    }

    public var count: Int { (x.shape[0] - 1) / bs + 1 }

    public func makeBatchIterator() -> any BatchIterator { Iterator(source: self) }

    private struct Iterator: BatchIterator {
        let source: InMemoryBatches
        var start = 0
        mutating func next() throws -> Batch? {
            let n = source.x.shape[0]
            guard start < n else { return nil }
            let end = Swift.min(start + source.bs, n)
            defer { start = end }
            let rows = Tensor.stack((start..<end).map { source.x[$0] })
            let labels = Tensor.stack((start..<end).map { source.y[$0] })
            return (rows, labels)
        }
    }
}
