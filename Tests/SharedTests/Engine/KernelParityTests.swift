#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Shared

/// The CPU kernels' fast paths (unrolled, split over threads) against plain loops, on sizes large
/// enough to take them.
@Suite struct KernelParityTests {
    /// Direct convolution by its definition, as the reference for `conv2d`.
    static func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride s: Int, padding p: Int) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (f, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
        let xs = x.toArray(), ws = w.toArray(), bs = b?.toArray()
        var out = [Float](repeating: 0, count: n * f * oh * ow)
        for i in 0..<n { for o in 0..<f { for oy in 0..<oh { for ox in 0..<ow {
            var acc = Double(bs?[o] ?? 0)
            for ci in 0..<c { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * s - p + ky, ix = ox * s - p + kx
                guard iy >= 0 && iy < h && ix >= 0 && ix < wd else { continue }
                acc += Double(xs[((i * c + ci) * h + iy) * wd + ix]) * Double(ws[((o * c + ci) * kh + ky) * kw + kx])
            } } }
            out[((i * f + o) * oh + oy) * ow + ox] = Float(acc)
        } } } }
        return out
    }

    @Test(arguments: [(3, 1, 1, 1), (3, 3, 2, 1), (5, 5, 3, 2), (1, 1, 2, 0), (3, 3, 1, 0), (2, 4, 2, 3)])
    func conv2dMatchesDefinition(_ k: (kh: Int, kw: Int, stride: Int, padding: Int)) {
        var g = SeededGenerator(seed: UInt64(k.kh * 100 + k.kw * 10 + k.stride))
        let x = Tensor.randn([3, 4, 11, 9], using: &g), w = Tensor.randn([5, 4, k.kh, k.kw], using: &g)
        let b = Tensor.randn([5], using: &g)
        for bias in [b, nil] {
            let y = Shared.conv2d(x, w, bias, stride: k.stride, padding: k.padding)
            let expected = Self.naiveConv2d(x, w, bias, stride: k.stride, padding: k.padding)
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
}
