import Testing

@testable import Engine
@testable import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// The CPU kernels' fast paths (unrolled, split over threads) against plain loops, on sizes large
/// enough to take them.
// Serialized: the convolution tests switch the engine's thread count and its AVX2 kernels.
@Suite(.serialized) struct KernelParityTests {
    /// `ReferenceConvolution.forward` (the plain loops) on tensors.
    static func referenceConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride s: Int, padding p: Int) -> [Float] {
        let g = ConvGeometry(
            batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
            kernelH: w.shape[2], kernelW: w.shape[3], stride: s, padding: p)
        var out = [Float](repeating: .nan, count: g.batch * w.shape[0] * g.outH * g.outW)
        out.withUnsafeMutableBufferPointer { o in
            ReferenceConvolution.forward(
                x.storage.host!, weight: w.storage.host!, bias: b.map { UnsafePointer($0.storage.host!) },
                filters: w.shape[0], g, into: o.baseAddress!)
        }
        return out
    }

    @Test(arguments: [(3, 1, 1, 1), (3, 3, 2, 1), (5, 5, 3, 2), (1, 1, 2, 0), (3, 3, 1, 0), (2, 4, 2, 3)])
    func conv2dMatchesDefinition(_ k: (kh: Int, kw: Int, stride: Int, padding: Int)) {
        var g = SeededGenerator(seed: UInt64(k.kh * 100 + k.kw * 10 + k.stride))
        let x = Tensor.randn([3, 4, 11, 9], using: &g), w = Tensor.randn([5, 4, k.kh, k.kw], using: &g)
        let b = Tensor.randn([5], using: &g)
        for bias in [b, nil] {
            let y = Shared.conv2d(x, w, bias, stride: k.stride, padding: k.padding)
            let expected = Self.referenceConv2d(x, w, bias, stride: k.stride, padding: k.padding)
            #expect(mismatch(y, expected, shape: y.shape, rtol: 1e-4, atol: 1e-4) == nil, "\(k) bias \(bias != nil)")
        }
    }

    /// Element-wise kernels above `parallelChunkMinimum` run split over threads; every element must
    /// still be computed once, in place.
    @Test func largeElementwiseOps() {
        var g = SeededGenerator(seed: 77)
        let n = parallelChunkMinimum + 37
        let a = Tensor.randn([n], using: &g), b = Tensor.rand([n], using: &g) + 0.5
        let av = a.toArray(), bv = b.toArray()
        #expect((a + b).toArray() == zip(av, bv).map { $0 + $1 })
        #expect((a * b).toArray() == zip(av, bv).map { $0 * $1 })
        #expect((a / b).toArray() == zip(av, bv).map { $0 / $1 })
        #expect((a - 2).toArray() == av.map { $0 * 1 + -2 })
        #expect((a * 3).toArray() == av.map { $0 * 3 + 0 })
        #expect(a.relu().toArray() == av.map { Swift.max($0, 0) })
        #expect(a.exp().toArray() == av.map { expf($0) })
        #expect((a > b).toArray() == zip(av, bv).map { $0 > $1 ? 1 : 0 })
        #expect((a + Tensor(1.5)).toArray() == av.map { $0 + 1.5 })
        // A view at an offset, and a broadcast against a row.
        let m = Tensor.stack([b, a])[1]
        #expect(m.offset == n && (m * b).toArray() == zip(av, bv).map { $0 * $1 })
        #expect(m.exp().toArray() == av.map { expf($0) })
        let rows = Tensor.randn([400, 700], using: &g), row = Tensor.randn([700], using: &g)
        let rv = rows.toArray(), wv = row.toArray()
        #expect((rows + row).toArray() == rv.enumerated().map { $0.element + wv[$0.offset % 700] })
    }

    /// Where the CPU has AVX2 and FMA, the chapter's four layers take the vector kernels, not only
    /// odd test shapes; where it has not, nothing does. Where it has AVX-512, those kernels run.
    @Test func vectorKernelsTakeTheChaptersLayers() {
        #expect(VectorConvKernels.usesAVX512 == VectorConvKernels.avx512Available)
        for (cin, size) in [(3, 64), (16, 32), (32, 16), (64, 8)] {
            let g = ConvGeometry(
                batch: 128, channels: cin, height: size, width: size,
                kernelH: 3, kernelW: 3, stride: 2, padding: 1)
            #expect(VectorConvKernels.applies(to: g) == VectorConvKernels.available, "\(cin) channels, \(size)×\(size)")
            // Rows of 32, 16 and 8 pixels are read from the planes, rows of 4 from written-out patches
            // (from the planes too with AVX-512).
            let shortest = VectorConvKernels.usesAVX512 ? 4 : 8
            #expect(
                VectorConvKernels.weightGradientReadsPlanes(g) == (VectorConvKernels.available && size / 2 >= shortest),
                "weight gradient of \(cin) channels, \(size)×\(size)")
        }
        let odd = ConvGeometry(
            batch: 2, channels: 3, height: 7, width: 7, kernelH: 3, kernelW: 3, stride: 1, padding: 1)
        #expect(!VectorConvKernels.applies(to: odd), "7-pixel rows cannot be cut into 16-pixel tiles")
        // The weight gradient's kernel takes any geometry, odd ones included.
        #expect(VectorConvKernels.weightGradientApplies == VectorConvKernels.available)
    }

    /// The plain loops against a few numbers worked out by hand: a 1×1 input channel, a 2×2 kernel,
    /// stride 1, padding 1, so that the corners read one pixel and the padding reads zero.
    @Test func referenceConvolutionByHand() {
        let g = ConvGeometry(batch: 1, channels: 1, height: 2, width: 2, kernelH: 2, kernelW: 2, stride: 1, padding: 1)
        let x: [Float] = [1, 2, 3, 4], w: [Float] = [1, 10, 100, 1000], bias: [Float] = [0.5]
        var out = [Float](repeating: .nan, count: 9)
        ReferenceConvolution.forward(x, weight: w, bias: bias, filters: 1, g, into: &out)
        // Output (0, 0) sees only x[0, 0] under w[1, 1]; (1, 1) sees all four pixels.
        #expect(out == [1000.5, 2100.5, 200.5, 3010.5, 4321.5, 402.5, 30.5, 43.5, 4.5])
        var dx = [Float](repeating: .nan, count: 4), dw = dx, db: [Float] = [.nan]
        ReferenceConvolution.backward(
            [Float](repeating: 1, count: 9), x: x, weight: w, filters: 1, g, dx: &dx, dweight: &dw, dbias: &db)
        // With a gradient of ones, every pixel meets every tap once and every tap every pixel once.
        #expect(dx == [1111, 1111, 1111, 1111] && dw == [10, 10, 10, 10] && db == [9])
    }

    /// The CPU's convolution works a chunk of images at a time on each core, through OpenBLAS, the
    /// AVX2 kernels or the AVX-512 ones (the AVX2 ones again on a CPU without AVX-512); each, and the batched version the GPU runs (one product over the whole batch),
    /// must agree with the plain loops of `ReferenceConvolution`, for batches that split unevenly,
    /// chunks of several small images, and one thread as well as two. The chapter's four layers are here
    /// (output rows of 32, 16, 8 and 4 pixels, which `PhasePlanes` copies with code of their own and
    /// the kernels take 16 pixels at a time), with each tier (the weight gradient's
    /// kernel takes every shape here when on, from the planes for rows of 8 (4 with AVX-512) to 256 pixels); filter counts that are not a multiple of the kernels'
    /// 6-row tiles or of the weight gradient's 16 filters, tap counts not a multiple of 6 (filters and
    /// taps leave every remainder 1–5 after sixes, which the kernels cover with panels of 4; the first
    /// layer and two more of at most 32 taps take the weight gradient's dot products), chunks
    /// whose pixels are not a multiple of 8; 1×1, 5×5 and 7×7 kernels; and odd shapes
    /// that only OpenBLAS takes. The tuples are (batch, in, out, size, stride, kernel, padding).
    @Test(
        arguments: ConvTier.allCases,
        [
            (37, 3, 16, 64, 2, 3, 1), (9, 16, 32, 32, 2, 3, 1), (37, 64, 128, 8, 2, 3, 1),
            (19, 32, 64, 16, 2, 3, 1), (4, 5, 7, 8, 1, 3, 1), (3, 2, 13, 16, 2, 3, 1),
            (5, 16, 8, 7, 1, 3, 1), (7, 4, 6, 9, 2, 3, 1), (6, 3, 5, 10, 3, 3, 1),
            (3, 2, 4, 1, 2, 3, 1), (3, 5, 8, 16, 2, 1, 0), (2, 3, 7, 8, 1, 5, 2),
            (2, 3, 9, 32, 2, 7, 3), (3, 7, 13, 16, 2, 1, 0), (2, 8, 4, 16, 1, 1, 0), (2, 4, 10, 16, 2, 1, 0),
            (3, 2, 12, 16, 1, 3, 1), (2, 1, 8, 16, 2, 3, 1)
        ])
    func tiersMatchThePlainLoops(
        tier: ConvTier,
        _ c: (batch: Int, cin: Int, cout: Int, size: Int, stride: Int, kernel: Int, padding: Int)
    ) {
        let savedSwitches = (VectorConvKernels.enabled, VectorConvKernels.usesAVX512)
        VectorConvKernels.enabled = tier != .openBLAS
        VectorConvKernels.usesAVX512 = tier == .avx512
        defer { (VectorConvKernels.enabled, VectorConvKernels.usesAVX512) = savedSwitches }
        var gen = SeededGenerator(seed: UInt64(c.batch * 1000 + c.cin))
        let cpu = CPUBackend.shared
        let x = Tensor.randn([c.batch, c.cin, c.size, c.size], using: &gen)
        let w = Tensor.randn([c.cout, c.cin, c.kernel, c.kernel], using: &gen), b = Tensor.randn([c.cout], using: &gen)
        let g = ConvGeometry(
            batch: c.batch, channels: c.cin, height: c.size, width: c.size,
            kernelH: c.kernel, kernelW: c.kernel, stride: c.stride, padding: c.padding)
        let outCount = c.batch * c.cout * g.outH * g.outW
        let gradOut = Tensor.randn([outCount], using: &gen)
        let saved = CPUThreads.computeThreads
        defer { CPUThreads.computeThreads = saved }
        let counts = [x.count, w.count, c.cout]
        let expected = cpu.allocate(outCount), expectedGrads = counts.map { cpu.allocate($0) }
        ReferenceConvolution.forward(
            x.storage.host!, weight: w.storage.host!, bias: b.storage.host!, filters: c.cout, g, into: expected.host!)
        ReferenceConvolution.backward(
            gradOut.storage.host!, x: x.storage.host!, weight: w.storage.host!, filters: c.cout, g,
            dx: expectedGrads[0].host!, dweight: expectedGrads[1].host!, dbias: expectedGrads[2].host!)
        var weightGradients: [Storage] = []
        for threads in [1, 2] {
            CPUThreads.computeThreads = threads
            let perImage = cpu.allocate(outCount), batched = cpu.allocate(outCount)
            cpu.conv2dForward(x.storage, weight: w.storage, bias: b.storage, filters: c.cout, g, into: perImage)
            cpu.batchedConv2dForward(x.storage, weight: w.storage, bias: b.storage, filters: c.cout, g, into: batched)
            #expect(close(perImage, expected, outCount), "forward \(c) on \(threads) threads")
            #expect(close(batched, expected, outCount), "batched forward \(c) on \(threads) threads")

            let grads = (0..<6).map { i in cpu.allocate(counts[i % 3]) }
            cpu.conv2dBackward(
                gradOut.storage, x: x.storage, weight: w.storage, filters: c.cout, g,
                dx: grads[0], dweight: grads[1], dbias: grads[2])
            cpu.batchedConv2dBackward(
                gradOut.storage, x: x.storage, weight: w.storage, filters: c.cout, g,
                dx: grads[3], dweight: grads[4], dbias: grads[5])
            for (i, name) in ["dx", "dweight", "dbias"].enumerated() {
                #expect(close(grads[i], expectedGrads[i], counts[i]), "\(name) \(c) on \(threads) threads")
                #expect(close(grads[i + 3], expectedGrads[i], counts[i]), "batched \(name) \(c) on \(threads) threads")
            }
            // Cores take tasks in whatever order timing gives, and there may be one core or many;
            // the sums must depend on neither.
            let again = cpu.allocate(w.count)
            cpu.conv2dBackward(
                gradOut.storage, x: x.storage, weight: w.storage, filters: c.cout, g,
                dx: nil, dweight: again, dbias: nil)
            #expect((0..<w.count).allSatisfy { again.host![$0] == grads[1].host![$0] }, "dweight \(c) repeatable")
            if let first = weightGradients.first {
                #expect(
                    (0..<w.count).allSatisfy { first.host![$0] == again.host![$0] },
                    "dweight \(c) on 1 and \(threads) threads")
            }
            weightGradients.append(again)
        }
    }

    /// Matrix products above `gemmSplitMinimum` are split by rows or columns over the cores; each
    /// transpose combination, on a tall and a wide shape, against one unsplit product.
    @Test(arguments: [(300, 70, 500), (70, 300, 500)])
    func splitGemmMatchesOneProduct(_ s: (m: Int, n: Int, k: Int)) {
        var gen = SeededGenerator(seed: 5)
        let cpu = CPUBackend.shared
        let a = Tensor.randn([s.m * s.k], using: &gen), b = Tensor.randn([s.k * s.n], using: &gen)
        let c0 = Tensor.randn([s.m * s.n], using: &gen)
        #expect(2 * s.m * s.n * s.k >= gemmSplitMinimum)
        let saved = CPUThreads.computeThreads
        defer { CPUThreads.computeThreads = saved }
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            let lda = transA ? s.m : s.k, ldb = transB ? s.k : s.n
            var results: [Storage] = []
            for threads in [1, 2] {
                CPUThreads.computeThreads = threads
                // The upload copies inside the closure: the buffer pointer is valid only there.
                let c = c0.toArray().withUnsafeBufferPointer { cpu.upload($0) }
                cpu.gemm(
                    transA: transA, transB: transB, m: s.m, n: s.n, k: s.k, alpha: 0.5,
                    a: a.storage, aOffset: 0, lda: lda, b: b.storage, bOffset: 0, ldb: ldb,
                    beta: 0.25, c: c, cOffset: 0, ldc: s.n)
                results.append(c)
            }
            // Split or not, each element is the same sum of k products, but OpenBLAS may add them in
            // another order (its kernels block and vectorise by the shape and alignment they get), so
            // the two agree to rounding: within k·ε of the sum of the terms' magnitudes (the usual
            // bound for a dot product), not of the result, which cancellation can bring near 0.
            let scale = gemmMagnitudes(
                s, transA: transA, transB: transB, a: a.toArray(), b: b.toArray(), c: c0.toArray(), alpha: 0.5,
                beta: 0.25)
            let bound = Float(s.k) * Float.ulpOfOne
            let worst = (0..<(s.m * s.n)).map { i in
                Swift.abs(results[1].host![i] - results[0].host![i]) / scale[i]
            }.max()!
            #expect(worst <= bound, "\(s) transA \(transA) transB \(transB): off by \(worst) of the terms' size")
        }
    }

    /// For each element of `alpha·op(A)·op(B) + beta·C`, the sum of the magnitudes of the terms that
    /// make it: `|alpha|·Σₖ|op(A)ᵢₖ|·|op(B)ₖⱼ| + |beta|·|Cᵢⱼ|`, the yardstick of its rounding error.
    private func gemmMagnitudes(
        _ s: (m: Int, n: Int, k: Int), transA: Bool, transB: Bool, a: [Float], b: [Float], c: [Float],
        alpha: Float, beta: Float
    ) -> [Float] {
        var out = [Float](repeating: 0, count: s.m * s.n)
        for i in 0..<s.m {
            for j in 0..<s.n {
                var sum: Float = 0
                for p in 0..<s.k {
                    let x = transA ? a[p * s.m + i] : a[i * s.k + p]
                    let y = transB ? b[j * s.k + p] : b[p * s.n + j]
                    sum += Swift.abs(x * y)
                }
                out[i * s.n + j] = Swift.abs(alpha) * sum + Swift.abs(beta) * Swift.abs(c[i * s.n + j])
            }
        }
        return out
    }

    /// Many short rows against one repeated row (a normalisation over NHWC pixels) run in tiled
    /// blocks; every element must match the plain broadcast, whichever side the row is on, for a
    /// count of rows that does not fill the last block and for one large enough to be split.
    @Test(arguments: [(1000, 3), (parallelChunkMinimum / 3 + 5, 3), (777, 7)])
    func shortRowsAgainstARepeatedRow(_ s: (rows: Int, length: Int)) {
        var gen = SeededGenerator(seed: 9)
        let x = Tensor.randn([s.rows, s.length], using: &gen), row = Tensor.rand([s.length], using: &gen) + 0.5
        let xv = x.toArray(), rv = row.toArray()
        #expect(
            ((x - row) / row).toArray()
                == xv.enumerated().map { ($0.element - rv[$0.offset % s.length]) / rv[$0.offset % s.length] })
        #expect((row - x).toArray() == xv.enumerated().map { rv[$0.offset % s.length] - $0.element })
        let image = Tensor.randn([2, s.rows / 2, 1, s.length], using: &gen)
        let iv = image.toArray()
        #expect((image * row).toArray() == iv.enumerated().map { $0.element * rv[$0.offset % s.length] })
    }

    /// A large permuted view made contiguous is gathered one outer slice per core (the NHWC → NCHW
    /// batch of `tfmX`); every element must land where the permutation says.
    @Test func largePermutedCopy() {
        var gen = SeededGenerator(seed: 21)
        let (n, h, w, c) = (23, 64, 64, 3)
        let x = Tensor.randn([n, h, w, c], using: &gen)
        #expect(x.count >= parallelChunkMinimum)
        let xv = x.toArray()
        let y = x.permute(0, 3, 1, 2).contiguous().toArray()
        var expected = [Float](repeating: 0, count: x.count)
        for i in 0..<n {
            for ch in 0..<c {
                for r in 0..<h {
                    for col in 0..<w {
                        expected[((i * c + ch) * h + r) * w + col] = xv[((i * h + r) * w + col) * c + ch]
                    }
                }
            }
        }
        #expect(y == expected)
    }

    /// Whether two host buffers agree to 1e-4 relative (sums in a different order differ in the
    /// last bits).
    private func close(_ a: Storage, _ b: Storage, _ count: Int) -> Bool {
        (0..<count).allSatisfy { i in
            Swift.abs(a.host![i] - b.host![i]) <= 1e-4 * Swift.max(1, Swift.abs(b.host![i]))
        }
    }
}

/// The CPU convolution's ways of computing, which `tiersMatchThePlainLoops` checks one by one.
enum ConvTier: CaseIterable, CustomTestStringConvertible {
    case openBLAS, avx2, avx512

    var testDescription: String { "\(self)" }
}
