#if canImport(Glibc)
    import Glibc
#endif

/// Where a `DataLoader`'s passes spent their time, summed over every pass since it was made: what
/// tells a loop that waits for its data from decoding that waits for the loop.
public struct LoaderTimes: Sendable, Equatable {
    /// Batches handed to the consumer.
    public var batches = 0
    /// Wall seconds the consumer spent in `next()` waiting for a batch not yet built.
    public var consumerWait = 0.0
    /// CPU seconds the worker threads spent building batches (decoding, resizing, collating).
    public var workerCPU = 0.0
    /// Wall seconds the workers spent building batches; above `workerCPU` when other threads held
    /// the cores.
    public var workerWall = 0.0
    /// Wall seconds the workers waited with `prefetch` batches already built and not taken.
    public var workerBlocked = 0.0

    /// An empty record.
    public init() {}

    /// What was added after `earlier`, a record of the same loader taken before.
    public func since(_ earlier: LoaderTimes) -> LoaderTimes {
        var delta = LoaderTimes()
        delta.batches = batches - earlier.batches
        delta.consumerWait = consumerWait - earlier.consumerWait
        delta.workerCPU = workerCPU - earlier.workerCPU
        delta.workerWall = workerWall - earlier.workerWall
        delta.workerBlocked = workerBlocked - earlier.workerBlocked
        return delta
    }

    /// Adds another pass's times.
    mutating func add(_ pass: LoaderTimes) {
        batches += pass.batches
        consumerWait += pass.consumerWait
        workerCPU += pass.workerCPU
        workerWall += pass.workerWall
        workerBlocked += pass.workerBlocked
    }
}

/// CPU seconds of the calling thread.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
