/// The chapter's `Dataset` (`__len__`, `__getitem__`) as a protocol; reading a sample may throw.
public protocol Dataset {
    /// How many samples there are (`len(ds)`).
    var count: Int { get }

    /// Sample `i`: the input `x` (for images `[64, 64, 3]`, channels last, values in [0, 1]) and the
    /// label `y` as a scalar tensor holding the class number.
    subscript(i: Int) -> (x: Tensor, y: Tensor) { get throws }

    /// The shape of every `x`, which batches prepend their size to.
    var itemShape: [Int] { get throws }

    /// A writer that puts samples straight into a batch's memory. Called once per decoding thread;
    /// the writer may keep buffers (a JPEG decoder, scratch space) and is used by that thread only.
    func makeItemWriter() -> any DatasetItemWriter
}

/// Writes samples straight into a batch tensor's memory: one allocation a batch, on the DataLoader's hot path.
public protocol DatasetItemWriter: AnyObject {
    /// Writes sample `i`'s `x` (`itemShape` elements, row-major) to `x` and returns its label.
    func write(_ i: Int, into x: UnsafeMutableBufferPointer<Float>) throws -> Float
}

extension Dataset {
    /// By default, the shape of sample 0.
    public var itemShape: [Int] {
        get throws { try self[0].x.shape }
    }

    /// By default, a writer that copies from `self[i]`.
    public func makeItemWriter() -> any DatasetItemWriter { SubscriptItemWriter(self) }
}

/// The general writer: reads `dataset[i]` and copies its numbers.
final class SubscriptItemWriter<D: Dataset>: DatasetItemWriter {
    let dataset: D
    init(_ dataset: D) { self.dataset = dataset }

    func write(_ i: Int, into x: UnsafeMutableBufferPointer<Float>) throws -> Float {
        let (xi, yi) = try dataset[i]
        let values = xi.toArray()
        precondition(values.count == x.count, "Dataset item \(i) has shape \(xi.shape), unlike the others")
        _ = x.update(fromContentsOf: values)
        return yi.item()
    }
}
