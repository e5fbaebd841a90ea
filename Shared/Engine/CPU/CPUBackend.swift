import CBLAS
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// The host backend: OpenBLAS for matrix products, tight pointer loops (which the optimiser
/// vectorises) for everything else. It is also the reference every OpenCL kernel is checked against.
public final class CPUBackend: Backend {
    /// The one instance; the backend has no state of its own.
    public static let shared = CPUBackend()

    /// OpenBLAS goes to one thread before the first product (see `CPUThreads`): with its own
    /// threads on, two threads calling sgemm at once may get wrong results.
    private init() { CPUThreads.pinBLAS() }

    public var device: Device { .cpu }

    /// Whether convolutions use the AVX2 kernels of `CConv` where the CPU has them (on by default);
    /// off, OpenBLAS does all of a convolution's products, as on a CPU without AVX2.
    public static var usesVectorKernels: Bool {
        get { VectorConvKernels.enabled }
        set { VectorConvKernels.enabled = newValue }
    }

    /// Whether this CPU can run those kernels at all (x86-64 with AVX2 and FMA).
    public static var hasVectorKernels: Bool { VectorConvKernels.available }

    /// Whether those kernels are the AVX-512 ones, where the CPU has AVX-512 (on by default there);
    /// off, the AVX2 kernels run, as on a CPU without it.
    public static var usesAVX512Kernels: Bool {
        get { VectorConvKernels.usesAVX512 }
        set { VectorConvKernels.usesAVX512 = newValue }
    }

    /// Whether this CPU has what the AVX-512 kernels need (AVX-512 F, DQ, VL and BW).
    public static var hasAVX512Kernels: Bool { VectorConvKernels.avx512Available }

    /// The kernels OpenBLAS chose for this CPU (`Haswell`, `SkylakeX`, `Zen`, …), or the ones the
    /// `OPENBLAS_CORETYPE` environment variable named.
    public static var openBLASCore: String { String(cString: openblas_get_corename()) }

    public func allocate(_ count: Int) -> Storage { Storage(hostCount: count) }

    public func upload(_ values: UnsafeBufferPointer<Float>) -> Storage {
        let storage = Storage(hostCount: values.count)
        if let base = values.baseAddress { storage.host!.update(from: base, count: values.count) }
        return storage
    }

    public func download(_ storage: Storage, offset: Int, count: Int, into: UnsafeMutablePointer<Float>) {
        into.update(from: storage.host! + offset, count: count)
    }

    public func fill(_ out: Storage, count: Int, value: Float) {
        out.host!.update(repeating: value, count: count)
    }

    public func copyStrided(
        _ src: Storage, offset: Int, shape: [Int], strides: [Int], into out: Storage, outOffset: Int
    ) {
        let (dims, collapsed) = collapse(shape: shape, strides: [strides])
        let srcStrides = collapsed.map { $0[0] }
        let count = dims.reduce(1, *)
        if dims.count >= 2 && dims[0] >= 2 && count >= parallelChunkMinimum {
            // A large gather (a permuted batch made contiguous, say): one slice of the outermost
            // axis at a time, split over the cores.
            let sliceCount = count / dims[0], innerDims = Array(dims.dropFirst()),
                innerStrides = Array(srcStrides.dropFirst())
            parallelFor(dims[0]) { i in
                self.gather(
                    src.host! + offset + i * srcStrides[0], dims: innerDims, strides: innerStrides,
                    into: out.host! + outOffset + i * sliceCount)
            }
            return
        }
        gather(src.host! + offset, dims: dims, strides: srcStrides, into: out.host! + outOffset)
    }

    /// Copies the strided layout (`dims`, `strides`) at `base` into consecutive floats at `out`.
    private func gather(
        _ base: UnsafeMutablePointer<Float>, dims: [Int], strides: [Int], into out: UnsafeMutablePointer<Float>
    ) {
        var dst = out
        StridedLoop.rows(dims: dims, strides: strides, base: base) { row, n, step in
            if step == 1 {
                dst.update(from: row, count: n)
            } else if step == 0 {
                // A broadcast row (bias preload, the backward of sum and mean): one value repeated.
                dst.update(repeating: row.pointee, count: n)
            } else {
                for i in 0..<n { dst[i] = row[i * step] }
            }
            dst += n
        }
    }

    public func unary(_ op: UnaryOp, _ x: Storage, offset: Int, count: Int, param: Float, into out: Storage) {
        parallelChunks(count) { start, count in
            unaryRun(op, UnsafePointer(x.host! + offset + start), count: count, param: param, into: out.host! + start)
        }
    }

    private func unaryRun(
        _ op: UnaryOp, _ src: UnsafePointer<Float>, count: Int, param: Float,
        into dst: UnsafeMutablePointer<Float>
    ) {
        switch op {
        case .exp: for i in 0..<count { dst[i] = expf(src[i]) }
        case .log: for i in 0..<count { dst[i] = logf(src[i]) }
        case .relu: for i in 0..<count { dst[i] = Swift.max(src[i], 0) }
        case .sqrt: for i in 0..<count { dst[i] = src[i].squareRoot() }
        case .pow:
            if param == 2 {
                for i in 0..<count { dst[i] = src[i] * src[i] }
            } else {
                for i in 0..<count { dst[i] = powf(src[i], param) }
            }
        case .abs: for i in 0..<count { dst[i] = Swift.abs(src[i]) }
        }
    }

    public func affine(_ x: Storage, offset: Int, count: Int, scale: Float, shift: Float, into out: Storage) {
        parallelChunks(count) { start, count in
            let src = UnsafePointer(x.host! + offset + start), dst = out.host! + start
            for i in 0..<count { dst[i] = src[i] * scale + shift }
        }
    }

    public func binary(_ op: BinaryOp, _ a: Storage, _ b: Storage, plan: BroadcastPlan, into out: Storage) {
        let (dims, strides) = collapse(shape: plan.shape, strides: [plan.aStrides, plan.bStrides])
        if dims.count == 1 && plan.count >= parallelChunkMinimum {
            // One long run (same shapes, or a scalar against a tensor): split it over the cores.
            let sa = strides[0][0], sb = strides[0][1]
            parallelChunks(plan.count) { start, count in
                binaryRun(
                    op, count, UnsafePointer(a.host! + plan.aOffset + start * sa), sa,
                    UnsafePointer(b.host! + plan.bOffset + start * sb), sb, out.host! + start)
            }
            return
        }
        if dims.count == 2 && dims[1] < Self.shortRow,
            let repeated = repeatedRow(strides, length: dims[1])
        {
            binaryRepeatedRow(op, a, b, plan: plan, rows: dims[0], length: dims[1], repeated: repeated, into: out)
            return
        }
        var dst = out.host!
        StridedLoop.pairRows(
            dims: dims, aStrides: strides.map { $0[0] }, bStrides: strides.map { $0[1] },
            a: UnsafePointer(a.host! + plan.aOffset), b: UnsafePointer(b.host! + plan.bOffset)
        ) { pa, sa, pb, sb, n in
            binaryRun(op, n, pa, sa, pb, sb, dst)
            dst += n
        }
    }

    /// Rows shorter than this, many of them, take `binaryRepeatedRow` when one operand repeats.
    private static let shortRow = 64

    /// For `[rows, length]` strides: which operand (0 = a, 1 = b) is one contiguous row repeated
    /// down the rows while the other is contiguous, if any — a normalisation's `(x - mean) / std`
    /// over NHWC pixels, say, where `length` is the 3 channels.
    private func repeatedRow(_ strides: [[Int]], length: Int) -> Int? {
        for (repeated, other) in [(0, 1), (1, 0)]
        where strides[0][repeated] == 0 && strides[1][repeated] == 1
            && strides[0][other] == length && strides[1][other] == 1
        {
            return repeated
        }
        return nil
    }

    /// `binary` over many short rows against one repeated row: the row is tiled into a block of a
    /// few hundred rows, and the op runs over long contiguous blocks (split over the cores) instead
    /// of once per short row.
    private func binaryRepeatedRow(
        _ op: BinaryOp, _ a: Storage, _ b: Storage, plan: BroadcastPlan,
        rows: Int, length: Int, repeated: Int, into out: Storage
    ) {
        let rowsPerBlock = Swift.max(1, 1024 / length), blockCount = rowsPerBlock * length
        let row = repeated == 0 ? UnsafePointer(a.host! + plan.aOffset) : UnsafePointer(b.host! + plan.bOffset)
        let other = repeated == 0 ? UnsafePointer(b.host! + plan.bOffset) : UnsafePointer(a.host! + plan.aOffset)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blockCount) { tile in
            for r in 0..<rowsPerBlock { (tile.baseAddress! + r * length).initialize(from: row, count: length) }
            let tiled = UnsafePointer(tile.baseAddress!)
            let blocks = (rows + rowsPerBlock - 1) / rowsPerBlock
            let runBlock = { (block: Int) in
                let rowStart = block * rowsPerBlock
                let n = Swift.min(rowsPerBlock, rows - rowStart) * length
                let x = other + rowStart * length, dst = out.host! + rowStart * length
                if repeated == 0 {
                    self.binaryRun(op, n, tiled, 1, x, 1, dst)
                } else {
                    self.binaryRun(op, n, x, 1, tiled, 1, dst)
                }
            }
            if rows * length >= parallelChunkMinimum {
                parallelFor(blocks, runBlock)
            } else {
                for block in 0..<blocks { runBlock(block) }
            }
        }
    }

    /// `out[i] = op(a[i * sa], b[i * sb])` for `n` elements.
    private func binaryRun(
        _ op: BinaryOp, _ n: Int, _ pa: UnsafePointer<Float>, _ sa: Int,
        _ pb: UnsafePointer<Float>, _ sb: Int, _ dst: UnsafeMutablePointer<Float>
    ) {
        switch op {
        case .add: binaryRow(n, pa, sa, pb, sb, dst) { $0 + $1 }
        case .sub: binaryRow(n, pa, sa, pb, sb, dst) { $0 - $1 }
        case .mul: binaryRow(n, pa, sa, pb, sb, dst) { $0 * $1 }
        case .div: binaryRow(n, pa, sa, pb, sb, dst) { $0 / $1 }
        case .eq: binaryRow(n, pa, sa, pb, sb, dst) { $0 == $1 ? 1 : 0 }
        case .ne: binaryRow(n, pa, sa, pb, sb, dst) { $0 != $1 ? 1 : 0 }
        case .gt: binaryRow(n, pa, sa, pb, sb, dst) { $0 > $1 ? 1 : 0 }
        case .lt: binaryRow(n, pa, sa, pb, sb, dst) { $0 < $1 ? 1 : 0 }
        case .ge: binaryRow(n, pa, sa, pb, sb, dst) { $0 >= $1 ? 1 : 0 }
        case .le: binaryRow(n, pa, sa, pb, sb, dst) { $0 <= $1 ? 1 : 0 }
        case .reluGrad: binaryRow(n, pa, sa, pb, sb, dst) { $1 > 0 ? $0 : 0 }
        }
    }

    public func reduce(
        _ op: ReduceOp, _ x: Storage, outer: Int, size: Int, inner: Int,
        into out: Storage, indices: Storage?
    ) {
        let src = UnsafePointer(x.host!), dst = out.host!
        switch op {
        case .sum:
            if inner == 1 {
                for o in 0..<outer { dst[o] = rowSum(src + o * size, size) }
            } else {
                for o in 0..<outer {
                    let acc = dst + o * inner
                    acc.update(repeating: 0, count: inner)
                    for s in 0..<size {
                        let row = src + (o * size + s) * inner
                        for i in 0..<inner { acc[i] += row[i] }
                    }
                }
            }
        case .max:
            let idx = indices?.host
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = -Float.infinity, bestIndex = 0
                    var p = src + o * size * inner + i
                    for s in 0..<size {
                        // NaN wins, as in PyTorch, so a diverged model shows up in the max.
                        if p.pointee > best || p.pointee.isNaN && !best.isNaN {
                            best = p.pointee
                            bestIndex = s
                        }
                        p += inner
                    }
                    dst[o * inner + i] = best
                    idx?[o * inner + i] = Float(bestIndex)
                }
            }
        }
    }

    public func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: Storage, aOffset: Int, lda: Int, b: Storage, bOffset: Int, ldb: Int,
        beta: Float, c: Storage, cOffset: Int, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        let a = UnsafePointer(a.host! + aOffset), b = UnsafePointer(b.host! + bOffset), c = c.host! + cOffset
        let product = {
            (m: Int, n: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) in
            cblas_sgemm(
                CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        // OpenBLAS runs on one thread (CPUThreads), so a large product is split here: by blocks of
        // rows of C when it is tall, of columns when it is wide, one block per core.
        let longSide = Swift.max(m, n)
        let workers = 2 * m * n * k >= gemmSplitMinimum ? Swift.min(CPUThreads.computeThreads, longSide / 16) : 1
        if workers <= 1 {
            product(m, n, a, b, c)
            return
        }
        // Block edges on multiples of 16, the width of OpenBLAS's micro-kernels.
        let edge = { (w: Int) -> Int in w == workers ? longSide : (w * longSide / workers + 8) / 16 * 16 }
        parallelFor(workers) { w in
            let low = edge(w), high = edge(w + 1)
            if m >= n {
                product(high - low, n, transA ? a + low : a + low * lda, b, c + low * ldc)
            } else {
                product(m, high - low, a, transB ? b + low * ldb : b + low, c + low)
            }
        }
    }

    public func im2col(_ x: Storage, _ g: ConvGeometry, into col: Storage) {
        let src = UnsafePointer(x.host!), dst = col.host!
        let oh = g.outH, ow = g.outW, patch = g.patch
        let planeSize = g.height * g.width
        parallelFor(g.batch) { n in
            let image = src + n &* g.channels &* planeSize
            var row = dst + n &* oh &* ow &* patch
            for oy in 0..<oh {
                for ox in 0..<ow {
                    // The common 3-wide kernel gets its own copy of the loop, fully unrolled.
                    if g.kernelW == 3 {
                        im2colPatch(image, g, oy: oy, ox: ox, into: row, kernelW: 3)
                    } else {
                        im2colPatch(image, g, oy: oy, ox: ox, into: row, kernelW: g.kernelW)
                    }
                    row += patch
                }
            }
        }
    }

    public func col2im(_ col: Storage, _ g: ConvGeometry, into out: Storage) {
        let src = UnsafePointer(col.host!), dst = out.host!
        let oh = g.outH, ow = g.outW, patch = g.patch
        let planeSize = g.height * g.width
        parallelFor(g.batch) { n in
            let image = dst + n &* g.channels &* planeSize
            image.update(repeating: 0, count: g.channels * planeSize)
            var row = src + n &* oh &* ow &* patch
            for oy in 0..<oh {
                for ox in 0..<ow {
                    if g.kernelW == 3 {
                        col2imPatch(row, g, oy: oy, ox: ox, into: image, kernelW: 3)
                    } else {
                        col2imPatch(row, g, oy: oy, ox: ox, into: image, kernelW: g.kernelW)
                    }
                    row += patch
                }
            }
        }
    }

    public func gatherPairs(_ x: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int, into out: Storage) {
        let src = x.host!, r = rows.host!, c = cols.host!, dst = out.host!
        for i in 0..<count { dst[i] = src[Int(r[i]) * rowStride + Int(c[i])] }
    }

    public func scatterAddPairs(
        _ values: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int, into out: Storage
    ) {
        let src = values.host!, r = rows.host!, c = cols.host!, dst = out.host!
        for i in 0..<count { dst[Int(r[i]) * rowStride + Int(c[i])] += src[i] }
    }

    public func axpy(_ alpha: Float, _ x: Storage, _ y: Storage, count: Int) {
        parallelChunks(count) { start, count in
            cblas_saxpy(Int32(count), alpha, x.host! + start, 1, y.host! + start, 1)
        }
    }
}

/// `out[i] = f(a[i * sa], b[i * sb])`, with the common stride patterns spelled out so the optimiser
/// vectorises them.
@inline(__always)
private func binaryRow(
    _ n: Int, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int,
    _ out: UnsafeMutablePointer<Float>, _ f: (Float, Float) -> Float
) {
    if sa == 1 && sb == 1 {
        for i in 0..<n { out[i] = f(a[i], b[i]) }
    } else if sa == 1 && sb == 0 {
        let bv = b.pointee
        for i in 0..<n { out[i] = f(a[i], bv) }
    } else if sa == 0 && sb == 1 {
        let av = a.pointee
        for i in 0..<n { out[i] = f(av, b[i]) }
    } else {
        for i in 0..<n { out[i] = f(a[i * sa], b[i * sb]) }
    }
}

/// Writes the patch of output pixel `(oy, ox)` of one image (`[C, H, W]` at `image`) to `out` in
/// `(c, ky, kx)` order, zero where it hangs over the border. Inlined with a constant `kernelW` so the
/// innermost loop unrolls; patches wholly inside the image, nearly all of them, skip every check.
@inline(__always)
private func im2colPatch(
    _ image: UnsafePointer<Float>, _ g: ConvGeometry, oy: Int, ox: Int,
    into out: UnsafeMutablePointer<Float>, kernelW kw: Int
) {
    let iy0 = oy &* g.stride &- g.padding, ix0 = ox &* g.stride &- g.padding
    let width = g.width, height = g.height, kh = g.kernelH, planeSize = height &* width
    var p = out
    if iy0 >= 0 && iy0 &+ kh <= height && ix0 >= 0 && ix0 &+ kw <= width {
        var plane = image + (iy0 &* width &+ ix0)
        for _ in 0..<g.channels {
            var line = plane
            for _ in 0..<kh {
                for kx in 0..<kw { p[kx] = line[kx] }
                p += kw
                line += width
            }
            plane += planeSize
        }
        return
    }
    for c in 0..<g.channels {
        let plane = image + c &* planeSize
        for ky in 0..<kh {
            let iy = iy0 &+ ky
            if iy < 0 || iy >= height {
                for kx in 0..<kw { p[kx] = 0 }
            } else {
                let line = plane + iy &* width
                for kx in 0..<kw {
                    let ix = ix0 &+ kx
                    p[kx] = (ix >= 0 && ix < width) ? line[ix] : 0
                }
            }
            p += kw
        }
    }
}

/// The adjoint of `im2colPatch`: adds the patch at `patch` onto the pixels of one image it came from.
@inline(__always)
private func col2imPatch(
    _ patch: UnsafePointer<Float>, _ g: ConvGeometry, oy: Int, ox: Int,
    into image: UnsafeMutablePointer<Float>, kernelW kw: Int
) {
    let iy0 = oy &* g.stride &- g.padding, ix0 = ox &* g.stride &- g.padding
    let width = g.width, height = g.height, kh = g.kernelH, planeSize = height &* width
    var p = patch
    if iy0 >= 0 && iy0 &+ kh <= height && ix0 >= 0 && ix0 &+ kw <= width {
        var plane = image + (iy0 &* width &+ ix0)
        for _ in 0..<g.channels {
            var line = plane
            for _ in 0..<kh {
                for kx in 0..<kw { line[kx] += p[kx] }
                p += kw
                line += width
            }
            plane += planeSize
        }
        return
    }
    for c in 0..<g.channels {
        let plane = image + c &* planeSize
        for ky in 0..<kh {
            let iy = iy0 &+ ky
            if iy >= 0 && iy < height {
                let line = plane + iy &* width
                for kx in 0..<kw {
                    let ix = ix0 &+ kx
                    if ix >= 0 && ix < width { line[ix] += p[kx] }
                }
            }
            p += kw
        }
    }
}

/// Matrix products of fewer floating-point operations than this (about 60 µs on one core) run on
/// one thread: splitting them costs more than it saves.
let gemmSplitMinimum = 1 << 22

/// The sum of `count` floats in four partial sums: vectorisable, and more accurate than one running
/// sum.
@inline(__always)
func rowSum(_ row: UnsafePointer<Float>, _ count: Int) -> Float {
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var i = 0
    while i + 4 <= count {
        s0 += row[i]
        s1 += row[i + 1]
        s2 += row[i + 2]
        s3 += row[i + 3]
        i += 4
    }
    while i < count {
        s0 += row[i]
        i += 1
    }
    return (s0 + s1) + (s2 + s3)
}
