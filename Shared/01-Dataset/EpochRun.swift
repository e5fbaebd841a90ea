import Foundation

/// One pass of a `DataLoader` over its data: the worker threads, the batches they have finished and
/// the consumer's position. Ends (stopping and joining the workers) when the pass completes, fails,
/// or the iterator holding it goes away.
final class EpochRun {
    private let state: EpochState
    private let workerCount: Int
    private var finished = false
    /// Why the pass could not start (the dataset's item shape could not be read).
    private var startError: Error?
    /// Only for `workers: 0`.
    private var inlineWriter: (any DatasetItemWriter)?

    init(_ loader: DataLoader) {
        let chunks = loader.nextChunks()
        var itemShape: [Int] = []
        do {
            if !chunks.isEmpty { itemShape = try loader.dataset.itemShape }
        } catch {
            startError = error
        }
        state = EpochState(dataset: loader.dataset, chunks: chunks, itemShape: itemShape, prefetch: loader.prefetch)
        workerCount = startError == nil ? Swift.min(loader.workers, chunks.count) : 0
        if workerCount > 0 {
            state.start(workers: workerCount)
        }
    }

    deinit { finish() }

    /// The next batch in order, nil after the last; throws the batch's error.
    func next() throws -> Batch? {
        if finished { return nil }
        if let startError {
            finish()
            throw startError
        }
        if workerCount == 0 {
            guard state.consumed < state.chunks.count else {
                finish()
                return nil
            }
            do {
                let writer = inlineWriter ?? state.dataset.makeItemWriter()
                inlineWriter = writer
                let batch = try collate(
                    state.chunks[state.consumed], state.dataset, writer: writer,
                    itemShape: state.itemShape)
                state.consumed += 1
                return batch
            } catch {
                finish()
                throw error
            }
        }
        switch state.take() {
        case .none:
            finish()
            return nil
        case .success(let batch)?:
            return batch
        case .failure(let error)?:
            finish()
            throw error
        }
    }

    /// Stops the workers and waits for them.
    private func finish() {
        guard !finished else { return }
        finished = true
        if workerCount > 0 {
            state.stopAndJoin()
        }
    }
}

/// What the workers and the consumer share, guarded by one condition variable.
final class EpochState: @unchecked Sendable {
    let dataset: any Dataset
    let chunks: [[Int]]
    let itemShape: [Int]
    let prefetch: Int
    private let condition = NSCondition()
    /// Next batch a worker may claim; batches are claimed in order.
    private var nextToClaim = 0
    /// Next batch the consumer takes.
    var consumed = 0
    /// Finished batches not yet taken.
    private var ready: [Int: Result<Batch, Error>] = [:]
    /// Set by the consumer to end the pass: workers abandon their batch after the current image.
    private var cancelled = false
    /// Set by a worker whose batch failed: no new claims, but batches already claimed (all earlier
    /// ones) are finished, so the consumer gets every batch before the failure, then the error.
    private var failed = false
    private var running = 0

    init(dataset: any Dataset, chunks: [[Int]], itemShape: [Int], prefetch: Int) {
        self.dataset = dataset
        self.chunks = chunks
        self.itemShape = itemShape
        self.prefetch = prefetch
    }

    func start(workers: Int) {
        running = workers
        for w in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.name = "DataLoader worker \(w)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// A worker: claim the next batch while fewer than `prefetch` are waiting, build it, hand it over.
    private func work() {
        lowerThisThreadsPriority()
        let writer = dataset.makeItemWriter()
        condition.lock()
        while true {
            while !cancelled && !failed && nextToClaim < chunks.count && nextToClaim >= consumed + prefetch {
                condition.wait()
            }
            if cancelled || failed || nextToClaim >= chunks.count { break }
            let k = nextToClaim
            nextToClaim += 1
            condition.unlock()

            let result: Result<Batch, Error> = Result {
                try collate(chunks[k], dataset, writer: writer, itemShape: itemShape) { self.isCancelled }
            }

            condition.lock()
            if case .failure(let error) = result {
                if error is CancellationError { break }
                failed = true
            }
            ready[k] = result
            condition.broadcast()
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for batch `consumed`; nil when there are no more.
    func take() -> Result<Batch, Error>? {
        condition.lock()
        defer { condition.unlock() }
        guard consumed < chunks.count else { return nil }
        while ready[consumed] == nil {
            // Workers all gone without producing it: only possible after a stop.
            if running == 0 { return nil }
            condition.wait()
        }
        let result = ready.removeValue(forKey: consumed)!
        consumed += 1
        condition.broadcast()  // a slot is free
        return result
    }

    /// Ends the pass: workers finish the image they are on and exit; returns when all have.
    func stopAndJoin() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        ready.removeAll()
        condition.unlock()
    }
}

/// Nices the calling decoder thread, so the model's threads win a core and decoding fills its idle
/// moments. Linux only: elsewhere the nice value is the whole process's.
private func lowerThisThreadsPriority() {
    #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    #endif
}
