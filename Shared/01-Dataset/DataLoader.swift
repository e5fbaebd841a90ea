import Foundation

/// The chapter's `DataLoader`, with threads where it uses a `ProcessPoolExecutor`: `workers` decode
/// whole batches, in order, at most `prefetch` ahead, at a lower priority than the model's threads.
/// Shuffles are seeded from `GlobalRandom` when the loader is made, so `manualSeed` repeats them.
///
/// A `for … in` loop cannot throw, so a file that fails to decode ends `for (xb, yb) in dl` and waits
/// in `checkError()`; `batches()`, which the Learner uses, throws it from `next()`.
public final class DataLoader: Sequence, BatchProvider {
    /// The samples.
    public let dataset: any Dataset
    /// Batch size.
    public let bs: Int
    /// Whether each iteration draws a new order.
    public let shuffle: Bool
    /// Decoding threads (0: decode on the consumer's thread).
    public let workers: Int
    /// Batches decoded ahead of the consumer, at most.
    public let prefetch: Int

    private var generator: SeededGenerator
    private let stateLock = NSLock()
    private var recordedError: Error?

    /// A loader over `dataset` (`DataLoader(train_ds, bs=128, shuffle=True, n_workers=2)`).
    public init(
        _ dataset: any Dataset, bs: Int = 128, shuffle: Bool = false, workers: Int = 1,
        prefetch: Int? = nil, seed: UInt64? = nil
    ) {
        precondition(bs > 0, "DataLoader: batch size must be positive, got \(bs)")
        self.dataset = dataset
        self.bs = bs
        self.shuffle = shuffle
        self.workers = Swift.max(0, workers)
        self.prefetch = Swift.max(1, prefetch ?? 2 * Swift.max(1, workers))
        self.generator = SeededGenerator(seed: seed ?? GlobalRandom.generator.next())
    }

    /// Number of batches (`len(dl)`).
    public var count: Int { dataset.count == 0 ? 0 : (dataset.count - 1) / bs + 1 }

    /// The sample indices of each batch for the next iteration (the chapter's `chunks`).
    func nextChunks() -> [[Int]] {
        var indices = Array(0..<dataset.count)
        if shuffle {
            stateLock.lock()
            indices.shuffle(using: &generator)
            stateLock.unlock()
        }
        return stride(from: 0, to: indices.count, by: bs).map {
            Array(indices[$0..<Swift.min($0 + bs, indices.count)])
        }
    }

    /// One pass over the data whose `next()` throws the first decoding error.
    public func batches() -> ThrowingIterator { ThrowingIterator(run: EpochRun(self)) }

    /// `batches()`, for the Learner (`BatchProvider`).
    public func makeBatchIterator() -> any BatchIterator { batches() }

    /// One pass over the data for `for … in`; see the type's documentation for errors.
    public func makeIterator() -> Iterator {
        clearError()
        return Iterator(run: EpochRun(self), loader: self)
    }

    /// Throws (and forgets) the error that ended the last `for … in` loop early, if any.
    public func checkError() throws {
        stateLock.lock()
        let error = recordedError
        recordedError = nil
        stateLock.unlock()
        if let error { throw error }
    }

    private func clearError() {
        stateLock.lock()
        recordedError = nil
        stateLock.unlock()
    }

    fileprivate func record(_ error: Error) {
        stateLock.lock()
        recordedError = error
        stateLock.unlock()
        FileHandle.standardError.write(Data("error: DataLoader stopped early: \(error)\n".utf8))
    }

    /// The iterator behind `for (xb, yb) in dl`.
    public struct Iterator: IteratorProtocol {
        let run: EpochRun
        let loader: DataLoader

        /// The next batch: `x` `[bs, ...itemShape]`, `y` `[bs]`; nil at the end or after an error,
        /// which `checkError()` then throws.
        public mutating func next() -> Batch? {
            do { return try run.next() } catch {
                loader.record(error)
                return nil
            }
        }
    }

    /// The iterator of `batches()`, whose `next()` throws.
    public struct ThrowingIterator: BatchIterator {
        let run: EpochRun

        /// The next batch: `x` `[bs, ...itemShape]`, `y` `[bs]`; nil at the end. Throws the error
        /// (an `ImageFileError` naming the file, usually) when a batch could not be built; the workers
        /// have stopped by then.
        public mutating func next() throws -> Batch? { try run.next() }
    }
}

/// The first batch of a loader (fastai's `first(dl)`); only the first batch or two are decoded, and
/// the workers stop as soon as it is returned. Throws a decoding error, or `DataError` when the loader
/// has no batches.
public func first(_ loader: DataLoader) throws -> Batch {
    var batches = loader.batches()
    guard let batch = try batches.next() else {
        throw DataError(path: "DataLoader", message: "no batches: the dataset is empty")
    }
    return batch
}

/// The first element of any sequence, or nil when it is empty (fastai's `first`).
public func first<S: Sequence>(_ sequence: S) -> S.Element? {
    var iterator = sequence.makeIterator()
    return iterator.next()
}
