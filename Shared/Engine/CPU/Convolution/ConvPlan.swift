import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// How a convolution's batch is shared out: split into at most `maximumTasks` contiguous ranges of
/// images (tasks) that the cores take in turn, each worked through in chunks of `chunk` images.
///
/// Cores take tasks from a shared counter, so a core that the scheduler lends to a DataLoader
/// worker for a while simply takes fewer of them; with one fixed half of the batch per core, the
/// other core would wait for it at the end of every convolution.
struct ConvPlan {
    /// Output pixels per image.
    let pixels: Int
    /// Images unfolded and multiplied together. Small feature maps are grouped until a chunk has
    /// about `targetColumns` output pixels: fewer make sgemm's fixed costs dominate, more overflow
    /// the per-core cache.
    let chunk: Int
    /// Number of tasks, each a whole number of chunks.
    let tasks: Int
    /// Cores used.
    let workers: Int
    /// Images in the batch.
    let batch: Int
    private let chunks: Int

    static let targetColumns = 256
    /// Tasks per convolution: enough to even out a core lost for a while on machines with a few
    /// cores, few enough that the partial sums stay cheap. Fixed rather than per core, so that the
    /// gradients are the same bit for bit on any number of threads (at the price of using at most 8
    /// cores for one convolution).
    static let maximumTasks = 8

    init(_ g: ConvGeometry) {
        pixels = g.outH * g.outW
        batch = g.batch
        chunk = Swift.max(1, Swift.min(g.batch, Self.targetColumns / Swift.max(1, pixels)))
        chunks = (g.batch + chunk - 1) / chunk
        workers = Swift.max(1, Swift.min(CPUThreads.computeThreads, Swift.min(chunks, Self.maximumTasks)))
        tasks = Swift.min(chunks, Self.maximumTasks)
    }

    /// The images of task `t`.
    func images(ofTask t: Int) -> Range<Int> {
        let low = t * chunks / tasks * chunk, high = Swift.min(batch, (t + 1) * chunks / tasks * chunk)
        return low..<high
    }

    /// Runs every task once: each core makes its scratch state with `setup(worker, firstTask)` and
    /// then calls `body(state, task, images)` for each task it takes.
    func forEachTask<State>(setup: (Int, Int) -> State, body: (State, Int, Range<Int>) -> Void) {
        if workers == 1 {
            let state = setup(0, 0)
            for t in 0..<tasks { body(state, t, images(ofTask: t)) }
            return
        }
        let counter = TaskCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            guard var task = counter.next(below: tasks) else { return }
            let state = setup(worker, task)
            while true {
                body(state, task, images(ofTask: task))
                guard let next = counter.next(below: tasks) else { return }
                task = next
            }
        }
    }
}

/// Hands out 0, 1, 2, … to whichever thread asks next.
final class TaskCounter: @unchecked Sendable {
    private var value = 0
    /// Allocated rather than stored inline: a pthread mutex must not move, and `&property` only
    /// promises an address for the length of one call.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The next number, or nil once `limit` numbers have been handed out.
    func next(below limit: Int) -> Int? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
