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

    public var device: Device { .cpu }

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

    public func copyStrided(_ src: Storage, offset: Int, shape: [Int], strides: [Int], into out: Storage, outOffset: Int) {
        let (dims, collapsed) = collapse(shape: shape, strides: [strides])
        let srcStrides = collapsed.map { $0[0] }
        var dst = out.host! + outOffset
        StridedLoop.rows(dims: dims, strides: srcStrides, base: src.host! + offset) { row, n, step in
            if step == 1 {
                dst.update(from: row, count: n)
            } else {
                for i in 0..<n { dst[i] = row[i * step] }
            }
            dst += n
        }
    }

    public func unary(_ op: UnaryOp, _ x: Storage, offset: Int, count: Int, param: Float, into out: Storage) {
        let src = UnsafePointer(x.host! + offset), dst = out.host!
        switch op {
        case .neg: for i in 0..<count { dst[i] = -src[i] }
        case .exp: for i in 0..<count { dst[i] = expf(src[i]) }
        case .log: for i in 0..<count { dst[i] = logf(src[i]) }
        case .relu: for i in 0..<count { dst[i] = Swift.max(src[i], 0) }
        case .sqrt: for i in 0..<count { dst[i] = src[i].squareRoot() }
        case .pow:
            if param == 2 { for i in 0..<count { dst[i] = src[i] * src[i] } }
            else { for i in 0..<count { dst[i] = powf(src[i], param) } }
        case .abs: for i in 0..<count { dst[i] = Swift.abs(src[i]) }
        case .square: for i in 0..<count { dst[i] = src[i] * src[i] }
        }
    }

    public func affine(_ x: Storage, offset: Int, count: Int, scale: Float, shift: Float, into out: Storage) {
        let src = UnsafePointer(x.host! + offset), dst = out.host!
        for i in 0..<count { dst[i] = src[i] * scale + shift }
    }

    public func binary(_ op: BinaryOp, _ a: Storage, _ b: Storage, plan: BroadcastPlan, into out: Storage) {
        let (dims, strides) = collapse(shape: plan.shape, strides: [plan.aStrides, plan.bStrides])
        var dst = out.host!
        StridedLoop.pairRows(dims: dims, aStrides: strides.map { $0[0] }, bStrides: strides.map { $0[1] },
                             a: UnsafePointer(a.host! + plan.aOffset), b: UnsafePointer(b.host! + plan.bOffset)) { pa, sa, pb, sb, n in
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
            dst += n
        }
    }

    public func reduce(_ op: ReduceOp, _ x: Storage, outer: Int, size: Int, inner: Int,
                       into out: Storage, indices: Storage?) {
        let src = UnsafePointer(x.host!), dst = out.host!
        switch op {
        case .sum:
            if inner == 1 {
                for o in 0..<outer {
                    let row = src + o * size
                    // Four partial sums: vectorisable, and more accurate than one running sum.
                    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                    var i = 0
                    while i + 4 <= size { s0 += row[i]; s1 += row[i + 1]; s2 += row[i + 2]; s3 += row[i + 3]; i += 4 }
                    while i < size { s0 += row[i]; i += 1 }
                    dst[o] = (s0 + s1) + (s2 + s3)
                }
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
                        if p.pointee > best || p.pointee.isNaN && !best.isNaN { best = p.pointee; bestIndex = s }
                        p += inner
                    }
                    dst[o * inner + i] = best
                    idx?[o * inner + i] = Float(bestIndex)
                }
            }
        }
    }

    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                     a: Storage, aOffset: Int, lda: Int, b: Storage, bOffset: Int, ldb: Int,
                     beta: Float, c: Storage, cOffset: Int, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a.host! + aOffset, Int32(lda),
                    b.host! + bOffset, Int32(ldb), beta, c.host! + cOffset, Int32(ldc))
    }

    public func im2col(_ x: Storage, _ g: ConvGeometry, into col: Storage) {
        let src = UnsafePointer(x.host!), dst = col.host!
        let oh = g.outH, ow = g.outW, patch = g.patch
        parallelFor(g.batch) { n in
            let image = src + n * g.channels * g.height * g.width
            var row = dst + n * oh * ow * patch
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var p = row
                    for c in 0..<g.channels {
                        let plane = image + c * g.height * g.width
                        for ky in 0..<g.kernelH {
                            let iy = oy * g.stride - g.padding + ky
                            if iy < 0 || iy >= g.height {
                                p.update(repeating: 0, count: g.kernelW)
                            } else {
                                let line = plane + iy * g.width
                                for kx in 0..<g.kernelW {
                                    let ix = ox * g.stride - g.padding + kx
                                    p[kx] = (ix >= 0 && ix < g.width) ? line[ix] : 0
                                }
                            }
                            p += g.kernelW
                        }
                    }
                    row += patch
                }
            }
        }
    }

    public func col2im(_ col: Storage, _ g: ConvGeometry, into out: Storage) {
        let src = UnsafePointer(col.host!), dst = out.host!
        let oh = g.outH, ow = g.outW, patch = g.patch
        parallelFor(g.batch) { n in
            let image = dst + n * g.channels * g.height * g.width
            image.update(repeating: 0, count: g.channels * g.height * g.width)
            var row = src + n * oh * ow * patch
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var p = row
                    for c in 0..<g.channels {
                        let plane = image + c * g.height * g.width
                        for ky in 0..<g.kernelH {
                            let iy = oy * g.stride - g.padding + ky
                            if iy >= 0 && iy < g.height {
                                let line = plane + iy * g.width
                                for kx in 0..<g.kernelW {
                                    let ix = ox * g.stride - g.padding + kx
                                    if ix >= 0 && ix < g.width { line[ix] += p[kx] }
                                }
                            }
                            p += g.kernelW
                        }
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

    public func scatterAddPairs(_ values: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int, into out: Storage) {
        let src = values.host!, r = rows.host!, c = cols.host!, dst = out.host!
        for i in 0..<count { dst[Int(r[i]) * rowStride + Int(c[i])] += src[i] }
    }

    public func axpy(_ alpha: Float, _ x: Storage, _ y: Storage, count: Int) {
        cblas_saxpy(Int32(count), alpha, x.host!, 1, y.host!, 1)
    }

    public func sgdStep(param: Storage, grad: Storage, count: Int, lr: Float, weightDecay: Float) {
        let p = param.host!, g = grad.host!
        for i in 0..<count {
            p[i] -= lr * (g[i] + weightDecay * p[i])
            g[i] = 0
        }
    }
}

/// `out[i] = f(a[i * sa], b[i * sb])`, with the common stride patterns spelled out so the optimiser
/// vectorises them.
@inline(__always)
private func binaryRow(_ n: Int, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>, _ sb: Int,
                       _ out: UnsafeMutablePointer<Float>, _ f: (Float, Float) -> Float) {
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

/// Runs `body(i)` for `i` in `0..<count`, split over the machine's cores when the work is large.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    let workers = Swift.min(count, CPUThreads.computeThreads)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var i = w * count / workers
        let end = (w + 1) * count / workers
        while i < end { body(i); i += 1 }
    }
}
