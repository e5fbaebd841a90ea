import Foundation

/// One pass of a `DataLoader` over its data: the worker threads, the batches they have finished and
/// the consumer's position. Ends (stopping and joining the workers) when the pass completes, fails,
/// or the iterator holding it goes away.
final class EpochRun {
    private let loader: DataLoader
    private let state: EpochState
    private let workerCount: Int
    private var finished = false
    /// Why the pass could not start (the dataset's item shape could not be read).
    private var startError: Error?
    /// Only for `workers: 0`.
    private var inlineWriter: (any DatasetItemWriter)?

    init(_ loader: DataLoader) {
        self.loader = loader
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
                let batch = try state.timedCollate(state.consumed, writer: writer)
                state.consumed += 1
                state.times.batches += 1
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
        loader.add(state.times)
    }
}

/// What the workers and the consumer share, guarded by one condition variable. Workers fill the
/// oldest unfinished batch together, a piece of a few samples each at a time, so that the batch the
/// consumer waits for is never left to one worker while the other decodes one it does not need yet.
final class EpochState: @unchecked Sendable {
    let dataset: any Dataset
    let chunks: [[Int]]
    let itemShape: [Int]
    let prefetch: Int
    /// Samples a worker takes at a time: few enough that two workers finish a batch together, enough
    /// that the lock is taken once per several images.
    static let pieceSize = 8
    private let condition = NSCondition()
    /// Next batch a worker may start; batches are started in order.
    private var nextToStart = 0
    /// Next batch the consumer takes.
    var consumed = 0
    /// Batches started and not finished, oldest first.
    private var building: [BatchBuild] = []
    /// Finished batches not yet taken.
    private var ready: [Int: Result<Batch, Error>] = [:]
    /// Set by the consumer to end the pass: workers abandon their piece after the current image.
    private var cancelled = false
    /// Set when a batch failed: no new batches start, but those already started (all earlier ones)
    /// are finished, so the consumer gets every batch before the failure, then the error.
    private var failed = false
    private var running = 0
    /// This pass's waits and work; written under the lock while workers run.
    var times = LoaderTimes()

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

    /// Whether a new batch may start: fewer than `prefetch` are started and not yet taken.
    private var mayStartBatch: Bool {
        !cancelled && !failed && nextToStart < chunks.count && nextToStart < consumed + prefetch
    }

    /// The next piece to write, from the oldest started batch with samples left, or from a new batch;
    /// nil when there is nothing to do now. Called with the lock held.
    private func claimPiece() -> (BatchBuild, Range<Int>)? {
        if let batch = building.first(where: \.hasUnclaimedSamples) {
            return (batch, batch.claim(upTo: Self.pieceSize))
        }
        guard mayStartBatch else { return nil }
        let batch = BatchBuild(index: nextToStart, samples: chunks[nextToStart], itemCount: itemShape.reduce(1, *))
        nextToStart += 1
        building.append(batch)
        return (batch, batch.claim(upTo: Self.pieceSize))
    }

    /// Whether this worker can leave: the pass is over for it, and no started batch needs a piece.
    private var workIsOver: Bool {
        if cancelled { return true }
        let nothingToStart = failed || nextToStart >= chunks.count
        return nothingToStart && !building.contains(where: \.hasUnclaimedSamples)
    }

    /// A worker: take pieces of the oldest unfinished batch (starting a new one while fewer than
    /// `prefetch` wait), write them, hand each batch over when its last piece is in.
    private func work() {
        lowerThisThreadsPriority()
        let writer = dataset.makeItemWriter()
        condition.lock()
        while !workIsOver {
            guard let (batch, piece) = claimPiece() else {
                let blockedSince = monotonicSeconds()
                while !workIsOver && !building.contains(where: \.hasUnclaimedSamples) && !mayStartBatch {
                    condition.wait()
                }
                times.workerBlocked += monotonicSeconds() - blockedSince
                continue
            }
            condition.unlock()

            let wall0 = monotonicSeconds(), cpu0 = threadCPUSeconds()
            let written = write(piece, of: batch, with: writer)
            let cpu = threadCPUSeconds() - cpu0, wall = monotonicSeconds() - wall0

            condition.lock()
            times.workerCPU += cpu
            times.workerWall += wall
            if written.error is CancellationError { break }
            batch.finish(piece, labels: written.labels, failedAt: written.failedAt, error: written.error)
            if batch.failure != nil { failed = true }
            if batch.isComplete {
                building.removeAll { $0 === batch }
                ready[batch.index] = batch.result(itemShape: itemShape)
            }
            condition.broadcast()
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Decodes the samples of `piece` into `batch`'s memory: their labels, and the position and error
    /// of the sample that failed, if one did (`CancellationError` when the pass was stopped).
    private func write(
        _ piece: Range<Int>, of batch: BatchBuild, with writer: any DatasetItemWriter
    ) -> (labels: [Float], failedAt: Int?, error: Error?) {
        var labels: [Float] = []
        labels.reserveCapacity(piece.count)
        for n in piece {
            if isCancelled { return (labels, nil, CancellationError()) }
            let slot = UnsafeMutableBufferPointer(
                start: batch.storage.host! + n * batch.itemCount, count: batch.itemCount)
            do { labels.append(try writer.write(batch.samples[n], into: slot)) } catch { return (labels, n, error) }
        }
        return (labels, nil, nil)
    }

    /// Waits for batch `consumed`; nil when there are no more.
    func take() -> Result<Batch, Error>? {
        condition.lock()
        defer { condition.unlock() }
        guard consumed < chunks.count else { return nil }
        let waitStart = monotonicSeconds()
        defer { times.consumerWait += monotonicSeconds() - waitStart }
        while ready[consumed] == nil {
            // Workers all gone without producing it: only possible after a stop.
            if running == 0 { return nil }
            condition.wait()
        }
        let result = ready.removeValue(forKey: consumed)!
        consumed += 1
        times.batches += 1
        condition.broadcast()  // a slot is free
        return result
    }

    /// Builds batch `k` on the calling thread with `writer` (a loader without workers), adding its
    /// CPU and wall time to `times`.
    func timedCollate(_ k: Int, writer: any DatasetItemWriter) throws -> Batch {
        let wall0 = monotonicSeconds(), cpu0 = threadCPUSeconds()
        defer {
            times.workerCPU += threadCPUSeconds() - cpu0
            times.workerWall += monotonicSeconds() - wall0
        }
        return try collate(chunks[k], dataset, writer: writer, itemShape: itemShape)
    }

    /// Ends the pass: workers finish the image they are on and exit; returns when all have.
    func stopAndJoin() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        ready.removeAll()
        building.removeAll()
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
