import CBLAS
import Dispatch

/// Convolution on the CPU, a few images at a time.
///
/// The batched version (`BatchedConvolution.swift`) unfolds the whole batch into one patch matrix:
/// 19 MB for the chapter's second layer at batch size 128, streamed through memory by im2col, by
/// sgemm's packing, and again in backward. Here each core takes its share of the batch and works
/// through it a chunk of images at a time (PyTorch's CPU convolution does the same), so the patch
/// matrix of a chunk, a few hundred KB, is still in cache when the matrix product reads it. Each core
/// calls sgemm (one-threaded, see CPUThreads) on its own chunk, which keeps both cores busy through im2col, the
/// products and the bias alike, instead of only during the products.
///
/// Layouts, per chunk of `c` images with `P = OH·OW` pixels each:
/// - `cols` `[C·KH·KW, c·P]`: one row per kernel tap `(ch, ky, kx)`, one column per output pixel;
/// - forward: `[F, c·P] = weight [F, C·KH·KW] · cols`, whose rows are runs of P pixels of one channel
///   of one image, copied to NCHW with the bias added;
/// - backward: the output gradient gathered to `[F, c·P]`; `dweight += gradChunk · colsᵀ` (each core
///   keeps its own sum, added up at the end so the result does not depend on timing);
///   `gradCols = weightᵀ · gradChunk`, folded back onto the input pixels (the adjoint of unfolding).
extension CPUBackend {
    public func conv2dForward(_ x: Storage, weight: Storage, bias: Storage?, filters: Int, _ g: ConvGeometry,
                              into out: Storage) {
        let plan = ConvChunking(g)
        let src = UnsafePointer(x.host!), w = UnsafePointer(weight.host!), dst = out.host!
        let b = bias.map { UnsafePointer($0.host!) }
        let pixels = plan.pixels, patch = g.patch
        plan.forEachWorker { _, images in
            let patches = PaddedPatches(g)
            let cols = ScratchBuffer(patch * plan.chunk * pixels)
            let product = ScratchBuffer(filters * plan.chunk * pixels)
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(plan.chunk, images.upperBound - first)
                let columns = count * pixels
                for j in 0..<count {
                    patches.unfold(src, image: first + j, into: cols.pointer + j * pixels, columns: columns)
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
        let plan = ConvChunking(g)
        let grad = UnsafePointer(gradOut.host!), src = UnsafePointer(x.host!), w = UnsafePointer(weight.host!)
        let pixels = plan.pixels, patch = g.patch
        // Per-worker partial sums of the weight and bias gradients, added up in worker order.
        let weightSums = ScratchBuffer(plan.workers * filters * patch, zeroed: true)
        let biasSums = ScratchBuffer(plan.workers * filters, zeroed: true)
        let dxPointer = dx?.host
        plan.forEachWorker { worker, images in
            let patches = PaddedPatches(g), gradPatches = PaddedPatches(g)
            let cols = ScratchBuffer(patch * plan.chunk * pixels)
            let gradChunk = ScratchBuffer(filters * plan.chunk * pixels)
            let gradCols = dxPointer == nil ? nil : ScratchBuffer(patch * plan.chunk * pixels)
            let weightSum = weightSums.pointer + worker * filters * patch
            let biasSum = biasSums.pointer + worker * filters
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(plan.chunk, images.upperBound - first)
                let columns = count * pixels
                // [count, F, P] → [F, count·P]
                for j in 0..<count {
                    let image = grad + (first + j) * filters * pixels
                    for f in 0..<filters {
                        (gradChunk.pointer + f * columns + j * pixels).update(from: image + f * pixels, count: pixels)
                    }
                }
                if dbias != nil {
                    for f in 0..<filters { biasSum[f] += rowSum(gradChunk.pointer + f * columns, columns) }
                }
                if dweight != nil {
                    for j in 0..<count {
                        patches.unfold(src, image: first + j, into: cols.pointer + j * pixels, columns: columns)
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(filters), Int32(patch), Int32(columns),
                                1, gradChunk.pointer, Int32(columns), cols.pointer, Int32(columns),
                                1, weightSum, Int32(patch))
                }
                if let dxPointer, let gradCols {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(patch), Int32(columns), Int32(filters),
                                1, w, Int32(patch), gradChunk.pointer, Int32(columns), 0, gradCols.pointer, Int32(columns))
                    for j in 0..<count {
                        gradPatches.fold(gradCols.pointer + j * pixels, columns: columns, into: dxPointer, image: first + j)
                    }
                }
                first += count
            }
        }
        if let dweight { sumPartials(weightSums.pointer, parts: plan.workers, count: filters * patch, into: dweight.host!) }
        if let dbias { sumPartials(biasSums.pointer, parts: plan.workers, count: filters, into: dbias.host!) }
    }
}

/// How a convolution's batch is shared out: contiguous ranges of images per core, worked through in
/// chunks of `chunk` images.
struct ConvChunking {
    /// Output pixels per image.
    let pixels: Int
    /// Images unfolded and multiplied together. Small feature maps are grouped until a chunk has
    /// about `targetColumns` output pixels: fewer make sgemm's fixed costs dominate, more overflow
    /// the per-core cache.
    let chunk: Int
    /// Cores used; each gets at least one chunk.
    let workers: Int
    let batch: Int

    static let targetColumns = 256

    init(_ g: ConvGeometry) {
        pixels = g.outH * g.outW
        batch = g.batch
        chunk = Swift.max(1, Swift.min(g.batch, Self.targetColumns / Swift.max(1, pixels)))
        let chunks = (g.batch + chunk - 1) / chunk
        workers = Swift.max(1, Swift.min(CPUThreads.computeThreads, chunks))
    }

    /// Runs `body(worker, images)` on every core's share of the batch.
    func forEachWorker(_ body: (Int, Range<Int>) -> Void) {
        let share = { (w: Int) -> Range<Int> in (w * batch / workers)..<((w + 1) * batch / workers) }
        if workers == 1 {
            body(0, 0..<batch)
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { w in body(w, share(w)) }
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

/// Where each output pixel's patch starts in a zero-padded copy of an image, so that unfolding and
/// folding are loops without a bounds check.
///
/// With the image copied into a `[C, H + 2·pad, W + 2·pad]` block whose border is zero, tap
/// `(ch, ky, kx)` of output pixel `p = (oy, ox)` sits at `ch·plane + ky·paddedW + kx + offsets[p]`,
/// where `offsets[p] = oy·stride·paddedW + ox·stride` is the same for every tap. Unfolding one row of
/// `cols` is then a gather through one table, however small the feature map.
final class PaddedPatches {
    let g: ConvGeometry
    let paddedW: Int, paddedH: Int, plane: Int
    let pixels: Int
    let offsets: UnsafeMutablePointer<Int>
    /// One padded image; its border is zeroed once and never written.
    let padded: UnsafeMutablePointer<Float>

    init(_ g: ConvGeometry) {
        self.g = g
        paddedW = g.width + 2 * g.padding
        paddedH = g.height + 2 * g.padding
        plane = paddedW * paddedH
        pixels = g.outH * g.outW
        offsets = .allocate(capacity: pixels)
        for oy in 0..<g.outH {
            for ox in 0..<g.outW { offsets[oy * g.outW + ox] = oy * g.stride * paddedW + ox * g.stride }
        }
        padded = .allocate(capacity: g.channels * plane)
        padded.initialize(repeating: 0, count: g.channels * plane)
    }

    deinit {
        offsets.deallocate()
        padded.deallocate()
    }

    /// Unfolds image `n` of NCHW `x` into the rows of `cols` (row stride `columns`, from the row's
    /// start): row `(ch, ky, kx)`, one column per output pixel.
    func unfold(_ x: UnsafePointer<Float>, image n: Int, into cols: UnsafeMutablePointer<Float>, columns: Int) {
        let width = g.width, height = g.height, pad = g.padding, pw = paddedW
        var source = x + n &* g.channels &* height &* width
        for ch in 0..<g.channels {
            var line = padded + (ch &* plane &+ pad &* pw &+ pad)
            for _ in 0..<height {
                line.update(from: source, count: width)
                line += pw
                source += width
            }
        }
        let offsets = UnsafePointer(self.offsets), count = pixels
        var row = cols
        for ch in 0..<g.channels {
            for ky in 0..<g.kernelH {
                for kx in 0..<g.kernelW {
                    let tap = UnsafePointer(padded + (ch &* plane &+ ky &* pw &+ kx))
                    var p = 0
                    while p < count { row[p] = tap[offsets[p]]; p &+= 1 }
                    row += columns
                }
            }
        }
    }

    /// The adjoint of `unfold`: adds every entry of the rows of `cols` onto the input pixel it came
    /// from, and writes the sums as image `n` of NCHW `dx` (overwriting it).
    func fold(_ cols: UnsafePointer<Float>, columns: Int, into dx: UnsafeMutablePointer<Float>, image n: Int) {
        let width = g.width, height = g.height, pad = g.padding, pw = paddedW
        padded.update(repeating: 0, count: g.channels &* plane)
        let offsets = UnsafePointer(self.offsets), count = pixels
        var row = cols
        for ch in 0..<g.channels {
            for ky in 0..<g.kernelH {
                for kx in 0..<g.kernelW {
                    let tap = padded + (ch &* plane &+ ky &* pw &+ kx)
                    var p = 0
                    while p < count { tap[offsets[p]] += row[p]; p &+= 1 }
                    row += columns
                }
            }
        }
        var target = dx + n &* g.channels &* height &* width
        for ch in 0..<g.channels {
            var line = UnsafePointer(padded + (ch &* plane &+ pad &* pw &+ pad))
            for _ in 0..<height {
                target.update(from: line, count: width)
                line += pw
                target += width
            }
        }
    }
}
