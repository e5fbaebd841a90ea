import CBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Convolution on the CPU, a few images at a time.
///
/// The batched version (`BatchedConvolution.swift`) unfolds the whole batch into one patch matrix:
/// 19 MB for the chapter's second layer at batch size 128, streamed through memory by im2col, by
/// sgemm's packing, and again in backward. Here the cores take tasks (ranges of the batch) and work
/// through each a chunk of images at a time (PyTorch's CPU convolution does the same), so the patch
/// matrix of a chunk, a few hundred KB, is still in cache when the matrix product reads it. Each core
/// calls sgemm (one-threaded, see `CPUThreads`) on its own chunk, which keeps both cores busy
/// through unfolding, the products and the bias alike, instead of only during the products.
///
/// Layouts, per chunk of `c` images with `P = OH·OW` pixels each:
/// - `cols` `[C·KH·KW, c·P]`: one row per kernel tap `(ch, ky, kx)`, one column per output pixel;
/// - forward: `[F, c·P] = weight [F, C·KH·KW] · cols`, whose rows are runs of P pixels of one channel
///   of one image, copied to NCHW with the bias added;
/// - backward: the output gradient gathered to `[F, c·P]`; `dweight += gradChunk · colsᵀ` (each task
///   keeps its own sum, added up in task order at the end, so the result does not depend on timing);
///   `gradCols = weightᵀ · gradChunk`, folded back onto the input pixels (the adjoint of unfolding).
extension CPUBackend {
    public func conv2dForward(_ x: Storage, weight: Storage, bias: Storage?, filters: Int, _ g: ConvGeometry,
                              into out: Storage) {
        let plan = ConvPlan(g)
        let src = UnsafePointer(x.host!), w = UnsafePointer(weight.host!), dst = out.host!
        let b = bias.map { UnsafePointer($0.host!) }
        let pixels = plan.pixels, patch = g.patch
        plan.forEachTask { _, _ in
            let patches = PhasePlanes(g)
            let cols = ScratchBuffer(patch * plan.chunk * pixels)
            let product = ScratchBuffer(plan.chunk > 1 ? filters * plan.chunk * pixels : 0)
            return (patches, cols, product)
        } body: { scratch, _, images in
            let (patches, cols, product) = scratch
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(plan.chunk, images.upperBound - first)
                let columns = count * pixels
                for j in 0..<count {
                    patches.unfold(src, image: first + j, into: cols.pointer + j * pixels, rowStride: columns)
                }
                if count == 1 {
                    // One image: its [F, P] product already is its NCHW output; start it from the bias.
                    let image = dst + first * filters * pixels
                    if let b { for f in 0..<filters { (image + f * pixels).update(repeating: b[f], count: pixels) } }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(filters), Int32(pixels), Int32(patch),
                                1, w, Int32(patch), cols.pointer, Int32(pixels), b == nil ? 0 : 1, image, Int32(pixels))
                    first += 1
                    continue
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(filters), Int32(columns), Int32(patch),
                            1, w, Int32(patch), cols.pointer, Int32(columns), 0, product.pointer, Int32(columns))
                for j in 0..<count {
                    let image = dst + (first + j) * filters * pixels
                    for f in 0..<filters {
                        let from = UnsafePointer(product.pointer + f * columns + j * pixels)
                        let to = image + f * pixels
                        let shift = b?[f] ?? 0
                        for p in 0..<pixels { to[p] = from[p] + shift }
                    }
                }
                first += count
            }
        }
    }

    public func conv2dBackward(_ gradOut: Storage, x: Storage, weight: Storage, filters: Int, _ g: ConvGeometry,
                               dx: Storage?, dweight: Storage?, dbias: Storage?) {
        let plan = ConvPlan(g)
        let grad = UnsafePointer(gradOut.host!), src = UnsafePointer(x.host!), w = UnsafePointer(weight.host!)
        let pixels = plan.pixels, patch = g.patch
        // Per-task partial sums of the weight and bias gradients, added up in task order: which core
        // ran a task depends on timing, but the sums do not.
        let weightSums = ScratchBuffer(plan.tasks * filters * patch)
        let biasSums = ScratchBuffer(plan.tasks * filters)
        let dxPointer = dx?.host
        plan.forEachTask { _, _ in
            let patches = PhasePlanes(g), gradPatches = PhasePlanes(g)
            let cols = ScratchBuffer(patch * plan.chunk * pixels)
            let gradChunk = ScratchBuffer(plan.chunk > 1 ? filters * plan.chunk * pixels : 0)
            let gradCols = ScratchBuffer(dxPointer == nil ? 0 : patch * plan.chunk * pixels)
            return (patches, gradPatches, cols, gradChunk, gradCols)
        } body: { scratch, task, images in
            let (patches, gradPatches, cols, gradChunk, gradCols) = scratch
            let weightSum = weightSums.pointer + task * filters * patch
            let biasSum = biasSums.pointer + task * filters
            biasSum.update(repeating: 0, count: filters)
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(plan.chunk, images.upperBound - first)
                let columns = count * pixels
                // [count, F, P] → [F, count·P]; one image's gradient already has that layout.
                var gradRows = UnsafePointer(gradChunk.pointer)
                if count == 1 {
                    gradRows = grad + first * filters * pixels
                } else {
                    for j in 0..<count {
                        let image = grad + (first + j) * filters * pixels
                        for f in 0..<filters {
                            (gradChunk.pointer + f * columns + j * pixels).update(from: image + f * pixels, count: pixels)
                        }
                    }
                }
                if dbias != nil {
                    for f in 0..<filters { biasSum[f] += rowSum(gradRows + f * columns, columns) }
                }
                if dweight != nil {
                    for j in 0..<count {
                        patches.unfold(src, image: first + j, into: cols.pointer + j * pixels, rowStride: columns)
                    }
                    // The task's first chunk starts its sum (beta 0); later ones add to it.
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(filters), Int32(patch), Int32(columns),
                                1, gradRows, Int32(columns), cols.pointer, Int32(columns),
                                first == images.lowerBound ? 0 : 1, weightSum, Int32(patch))
                }
                if let dxPointer {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(patch), Int32(columns), Int32(filters),
                                1, w, Int32(patch), gradRows, Int32(columns), 0, gradCols.pointer, Int32(columns))
                    for j in 0..<count {
                        gradPatches.fold(gradCols.pointer + j * pixels, rowStride: columns, into: dxPointer, image: first + j)
                    }
                }
                first += count
            }
        }
        if let dweight { sumPartials(weightSums.pointer, parts: plan.tasks, count: filters * patch, into: dweight.host!) }
        if let dbias { sumPartials(biasSums.pointer, parts: plan.tasks, count: filters, into: dbias.host!) }
    }
}

/// How a convolution's batch is shared out: a few contiguous ranges of images (tasks) per core,
/// each worked through in chunks of `chunk` images.
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
    let batch: Int
    private let chunks: Int

    static let targetColumns = 256
    /// Tasks per core: enough to even out a core lost for a while, few enough that each task's
    /// setup and partial sums stay cheap.
    static let tasksPerWorker = 4

    init(_ g: ConvGeometry) {
        pixels = g.outH * g.outW
        batch = g.batch
        chunk = Swift.max(1, Swift.min(g.batch, Self.targetColumns / Swift.max(1, pixels)))
        chunks = (g.batch + chunk - 1) / chunk
        workers = Swift.max(1, Swift.min(CPUThreads.computeThreads, chunks))
        tasks = workers == 1 ? 1 : Swift.min(chunks, Self.tasksPerWorker * workers)
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
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    /// The next number, or nil once `limit` numbers have been handed out.
    func next(below limit: Int) -> Int? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// A block of floats owned by one worker for one call.
final class ScratchBuffer {
    let pointer: UnsafeMutablePointer<Float>

    init(_ count: Int, zeroed: Bool = false) {
        pointer = .allocate(capacity: Swift.max(1, count))
        if zeroed { pointer.initialize(repeating: 0, count: Swift.max(1, count)) }
    }

    deinit { pointer.deallocate() }
}

/// The sum of `count` floats, in four partial sums (vectorisable).
@inline(__always)
private func rowSum(_ row: UnsafePointer<Float>, _ count: Int) -> Float {
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var i = 0
    while i + 4 <= count { s0 += row[i]; s1 += row[i + 1]; s2 += row[i + 2]; s3 += row[i + 3]; i += 4 }
    while i < count { s0 += row[i]; i += 1 }
    return (s0 + s1) + (s2 + s3)
}

/// `out[i] = Σ_p parts[p · count + i]`, in part order.
private func sumPartials(_ parts: UnsafePointer<Float>, parts n: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
    out.update(from: parts, count: count)
    for p in 1..<Swift.max(1, n) {
        let part = parts + p * count
        for i in 0..<count { out[i] += part[i] }
    }
}
