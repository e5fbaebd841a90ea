import CBLAS

// The CPU's convolution comes in three tiers that compute the same numbers:
//
// - plain loops, `ReferenceConvolution.swift`: the definition, run only by the tests, as the truth;
// - OpenBLAS, image by image, this file (with `ConvPlan` and `PhasePlanes`): wherever the vector
//   tier does not apply;
// - AVX2 + FMA or AVX-512 tiles, `VectorConvKernels.swift` calling the C kernels in
//   Shared/System/CConv, where the CPU has AVX2 and FMA (asked at run time; AVX-512 where it has
//   that too) and the kernels are enabled (`CPUBackend.usesVectorKernels`, on unless a test or
//   `EngineBench --openblas-conv` turns them off): the weight gradient for any geometry (from the
//   phase planes where the rows suit the kernels and are 8 to 256 pixels long, 4 to 256 with
//   AVX-512, else from the patches OpenBLAS takes); the forward product and the input gradient
//   where `VectorConvKernels.applies(to:)`, that is where the output rows are 4, 8 or a multiple of
//   16 pixels long (the chapter's four layers all are).
//
// `Tests/SharedTests/Engine/KernelParityTests.swift` compares every fast tier, and the batched
// version that the GPU runs (`Shared/Engine/Backend/BatchedConvolution.swift`), with the plain loops.

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
///
/// Where `VectorConvKernels` apply (AVX2 and FMA, suitable row lengths), the forward product and
/// the input gradient go through them instead, image by image, without `cols` or `gradCols`.
extension CPUBackend {
    public func conv2dForward(
        _ x: Storage, weight: Storage, bias: Storage?, filters: Int, _ g: ConvGeometry,
        into out: Storage
    ) {
        let plan = ConvPlan(g)
        let src = UnsafePointer(x.host!), w = UnsafePointer(weight.host!), dst = out.host!
        let b = bias.map { UnsafePointer($0.host!) }
        let pixels = plan.pixels, patch = g.patch
        if VectorConvKernels.applies(to: g) {
            return vectorConv2dForward(src, weight: w, bias: b, filters: filters, g, plan: plan, into: dst)
        }
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
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(filters), Int32(pixels), Int32(patch),
                        1, w, Int32(patch), cols.pointer, Int32(pixels), b == nil ? 0 : 1, image, Int32(pixels))
                    first += 1
                    continue
                }
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(filters), Int32(columns), Int32(patch),
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

    /// `conv2dForward` through the AVX2 kernels: each image's planes are loaded once and multiplied
    /// straight into its NCHW output.
    private func vectorConv2dForward(
        _ src: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
        bias b: UnsafePointer<Float>?, filters: Int, _ g: ConvGeometry,
        plan: ConvPlan, into dst: UnsafeMutablePointer<Float>
    ) {
        let packed = ScratchBuffer(VectorConvKernels.packedCount(rows: filters, depth: g.patch))
        VectorConvKernels.pack(w, filters: filters, g, transposed: false, into: packed.pointer)
        plan.forEachTask { _, _ in
            let patches = PhasePlanes(g)
            return (patches, VectorConvKernels(g, filters: filters, planes: patches))
        } body: { scratch, _, images in
            let (patches, kernels) = scratch
            for n in images {
                patches.load(src, image: n)
                kernels.forward(
                    packed.pointer, filters: filters, taps: g.patch, planes: patches, bias: b,
                    into: dst + n * filters * plan.pixels)
            }
        }
    }

    public func conv2dBackward(
        _ gradOut: Storage, x: Storage, weight: Storage, filters: Int, _ g: ConvGeometry,
        dx: Storage?, dweight: Storage?, dbias: Storage?
    ) {
        let plan = ConvPlan(g)
        let grad = UnsafePointer(gradOut.host!), src = UnsafePointer(x.host!), w = UnsafePointer(weight.host!)
        let pixels = plan.pixels, patch = g.patch
        // Per-task partial sums of the weight and bias gradients, added up in task order: which core
        // ran a task depends on timing, but the sums do not.
        // The vector kernel sums the weight gradient transposed, `[patch, width]`; OpenBLAS as it is.
        let weightKernel = dweight != nil && VectorConvKernels.weightGradientApplies
        let weightFromPlanes = dweight != nil && VectorConvKernels.weightGradientReadsPlanes(g)
        let width = VectorConvKernels.weightGradientWidth(filters: filters)
        let weightSumCount = weightKernel ? patch * width : filters * patch
        let weightSums = ScratchBuffer(plan.tasks * weightSumCount)
        let biasSums = ScratchBuffer(plan.tasks * filters)
        let dxPointer = dx?.host
        // The input gradient through the vector kernels when they apply: its weights are packed once
        // per call, transposed.
        let vectorKernels = dxPointer != nil && VectorConvKernels.applies(to: g)
        let packedTransposed = ScratchBuffer(
            vectorKernels ? VectorConvKernels.packedCount(rows: patch, depth: filters) : 0)
        if vectorKernels {
            VectorConvKernels.pack(w, filters: filters, g, transposed: true, into: packedTransposed.pointer)
        }
        // Only OpenBLAS's products and the weight gradient from written-out patches take the chunk's
        // gradient gathered into rows; the kernels that read the planes take each image's as it is.
        let gathersGradient = (dweight != nil && !weightFromPlanes) || (dxPointer != nil && !vectorKernels)
        plan.forEachTask { _, _ in
            let patches = PhasePlanes(g), gradPatches = PhasePlanes(g)
            let cols = ScratchBuffer(patch * plan.chunk * pixels)
            let gradChunk = ScratchBuffer(plan.chunk > 1 && gathersGradient ? filters * plan.chunk * pixels : 0)
            let gradCols = ScratchBuffer(dxPointer == nil || vectorKernels ? 0 : patch * plan.chunk * pixels)
            let kernels = vectorKernels ? VectorConvKernels(g, filters: filters, planes: gradPatches) : nil
            let transposed = ScratchBuffer(weightKernel ? VectorConvKernels.weightGradientScratch(filters: filters) : 0)
            let weightKernels = weightFromPlanes ? VectorConvKernels(g, filters: filters, planes: patches) : nil
            return (patches, gradPatches, cols, gradChunk, gradCols, kernels, (transposed, weightKernels))
        } body: { scratch, task, images in
            let (patches, gradPatches, cols, gradChunk, gradCols, kernels, (transposed, weightKernels)) = scratch
            let weightSum = weightSums.pointer + task * weightSumCount
            if weightKernel { weightSum.update(repeating: 0, count: weightSumCount) }
            let biasSum = biasSums.pointer + task * filters
            biasSum.update(repeating: 0, count: filters)
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(plan.chunk, images.upperBound - first)
                let columns = count * pixels
                // [count, F, P] → [F, count·P], for the products that take the chunk at once; one
                // image's gradient already has that layout.
                var gradRows = UnsafePointer(gradChunk.pointer)
                if count == 1 {
                    gradRows = grad + first * filters * pixels
                } else if gathersGradient {
                    for j in 0..<count {
                        let image = grad + (first + j) * filters * pixels
                        for f in 0..<filters {
                            (gradChunk.pointer + f * columns + j * pixels).update(
                                from: image + f * pixels, count: pixels)
                        }
                    }
                }
                if dbias != nil {
                    for j in 0..<count {
                        let image = grad + (first + j) * filters * pixels
                        for f in 0..<filters { biasSum[f] += laneSum(image + f * pixels, pixels) }
                    }
                }
                if let weightKernels {
                    for j in 0..<count {
                        patches.load(src, image: first + j)
                        weightKernels.weightGradient(
                            planes: patches, taps: patch, gradOut: grad + (first + j) * filters * pixels,
                            filters: filters, into: weightSum, scratch: transposed.pointer)
                    }
                } else if dweight != nil {
                    for j in 0..<count {
                        patches.unfold(src, image: first + j, into: cols.pointer + j * pixels, rowStride: columns)
                    }
                    if weightKernel {
                        VectorConvKernels.weightGradient(
                            cols: cols.pointer, taps: patch, gradRows: gradRows, filters: filters, columns: columns,
                            into: weightSum, scratch: transposed.pointer)
                    } else {
                        // The task's first chunk starts its sum (beta 0); later ones add to it.
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(filters), Int32(patch), Int32(columns),
                            1, gradRows, Int32(columns), cols.pointer, Int32(columns),
                            first == images.lowerBound ? 0 : 1, weightSum, Int32(patch))
                    }
                }
                if let dxPointer, let kernels {
                    for j in 0..<count {
                        gradPatches.clear()
                        kernels.backwardInput(
                            packedTransposed.pointer, filters: filters, taps: patch,
                            gradOut: grad + (first + j) * filters * pixels, into: gradPatches)
                        gradPatches.store(into: dxPointer, image: first + j)
                    }
                } else if let dxPointer {
                    cblas_sgemm(
                        CblasRowMajor, CblasTrans, CblasNoTrans, Int32(patch), Int32(columns), Int32(filters),
                        1, w, Int32(patch), gradRows, Int32(columns), 0, gradCols.pointer, Int32(columns))
                    for j in 0..<count {
                        gradPatches.fold(
                            gradCols.pointer + j * pixels, rowStride: columns, into: dxPointer, image: first + j)
                    }
                }
                first += count
            }
        }
        if let dweight, weightKernel {
            let sum = ScratchBuffer(weightSumCount), out = dweight.host!
            sumPartials(weightSums.pointer, parts: plan.tasks, count: weightSumCount, into: sum.pointer)
            for f in 0..<filters {
                for k in 0..<patch { out[f * patch + k] = sum.pointer[k * width + f] }
            }
        } else if let dweight {
            sumPartials(weightSums.pointer, parts: plan.tasks, count: filters * patch, into: dweight.host!)
        }
        if let dbias { sumPartials(biasSums.pointer, parts: plan.tasks, count: filters, into: dbias.host!) }
    }
}

/// A block of floats owned by one worker for one call. Plain `malloc` rather than `allocate`'s
/// `Storage`: with every core taking and returning blocks per task, `HostMemoryPool`'s lock slowed
/// the training step down, and glibc already reuses these blocks without faulting new pages in.
final class ScratchBuffer {
    let pointer: UnsafeMutablePointer<Float>

    init(_ count: Int, zeroed: Bool = false) {
        pointer = .allocate(capacity: Swift.max(1, count))
        if zeroed { pointer.initialize(repeating: 0, count: Swift.max(1, count)) }
    }

    deinit { pointer.deallocate() }
}

/// The sum of `count` floats, 32 at a time in two vector sums: the bias gradient's pass over the
/// whole output gradient, which `rowSum`'s four scalar chains took an add at a time.
private func laneSum(_ row: UnsafePointer<Float>, _ count: Int) -> Float {
    let raw = UnsafeRawPointer(row)
    var low = SIMD16<Float>(), high = SIMD16<Float>()
    var i = 0
    while i + 32 <= count {
        low += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        high += raw.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD16<Float>.self)
        i += 32
    }
    var sum = (low + high).sum()
    while i < count {
        sum += row[i]
        i += 1
    }
    return sum
}

/// `out[i] = Σ_p parts[p · count + i]`, in part order.
private func sumPartials(_ parts: UnsafePointer<Float>, parts n: Int, count: Int, into out: UnsafeMutablePointer<Float>)
{
    out.update(from: parts, count: count)
    for p in 1..<Swift.max(1, n) {
        let part = parts + p * count
        for i in 0..<count { out[i] += part[i] }
    }
}
