/// Antialiased bicubic resampling of 8-bit RGB rasters to Float32, the filter PIL's `Image.resize`
/// uses by default.
///
/// Like PIL, the cubic kernel (a = −0.5) is stretched by the shrink factor when shrinking, so every
/// source pixel contributes (that is the antialiasing); each axis is a separate pass with weights
/// computed once per (source size, target size) pair and then cached. Unlike PIL, the intermediate
/// result stays in Float32 instead of being rounded to bytes, so the output is at least as exact.
public final class ImageResizer {
    /// Tap weights for one axis of one (source size, target size) pair.
    struct AxisWeights {
        /// First source index read by each output index.
        var first: [Int]
        /// How many taps each output index reads.
        var count: [Int]
        /// `taps` weights per output index, summing to 1.
        var weights: [Float]
        var taps: Int

        init(from inSize: Int, to outSize: Int) {
            let scale = Double(inSize) / Double(outSize)
            let filterScale = Swift.max(scale, 1)
            let support = 2.0 * filterScale
            taps = Int(support.rounded(.up)) * 2 + 1
            first = [Int](repeating: 0, count: outSize)
            count = [Int](repeating: 0, count: outSize)
            weights = [Float](repeating: 0, count: outSize * taps)
            for o in 0..<outSize {
                let center = (Double(o) + 0.5) * scale
                let lo = Swift.max(Int(center - support + 0.5), 0)
                let hi = Swift.min(Int(center + support + 0.5), inSize)
                var total = 0.0
                var w = [Double](repeating: 0, count: hi - lo)
                for i in lo..<hi {
                    w[i - lo] = AxisWeights.cubic((Double(i) - center + 0.5) / filterScale)
                    total += w[i - lo]
                }
                first[o] = lo
                count[o] = hi - lo
                for k in 0..<(hi - lo) { weights[o * taps + k] = Float(total == 0 ? 0 : w[k] / total) }
            }
        }

        /// Keys' cubic convolution kernel with a = −0.5.
        static func cubic(_ x: Double) -> Double {
            let a = -0.5, x = abs(x)
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        }
    }

    private struct Key: Hashable { let from: Int, to: Int }
    private var cache: [Key: AxisWeights] = [:]
    /// The vertically resampled image, `outHeight × inWidth × 3` floats plus one of padding so the
    /// horizontal pass may load four floats at the last pixel.
    private var scratch: UnsafeMutablePointer<Float>
    private var scratchCapacity: Int

    /// A resizer with empty caches. Not thread-safe: give each thread its own.
    public init() {
        scratchCapacity = 64 * 256 * 3 + 4
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit { scratch.deallocate() }

    private func weights(from inSize: Int, to outSize: Int) -> AxisWeights {
        let key = Key(from: inSize, to: outSize)
        if let cached = cache[key] { return cached }
        let made = AxisWeights(from: inSize, to: outSize)
        if cache.count > 256 { cache.removeAll(keepingCapacity: true) }
        cache[key] = made
        return made
    }

    /// Resizes `source` (`height × width × 3` bytes) to `outHeight × outWidth × 3` floats in [0, 1],
    /// written to `destination`. The aspect ratio is not kept: like the chapter's `resize((64,64))`,
    /// the image is squeezed to the target shape.
    public func resize(_ source: UnsafePointer<UInt8>, width: Int, height: Int,
                       into destination: UnsafeMutablePointer<Float>, outWidth: Int, outHeight: Int) {
        precondition(width > 0 && height > 0 && outWidth > 0 && outHeight > 0, "resize: empty image")
        let vertical = weights(from: height, to: outHeight)
        let horizontal = weights(from: width, to: outWidth)
        let rowLength = width * 3
        let needed = outHeight * rowLength + 4
        if needed > scratchCapacity {
            scratch.deallocate()
            scratch = .allocate(capacity: needed)
            scratchCapacity = needed
        }

        // Vertical pass first: each output row is a weighted sum of a few whole source rows. Eight
        // bytes at a time, all taps summed in registers before one store (the taps in order, so the
        // sums are those of a tap-by-tap loop). The 1/255 scaling is folded into the weights.
        let taps = vertical.taps
        vertical.weights.withUnsafeBufferPointer { vw in
            vertical.first.withUnsafeBufferPointer { firsts in
                vertical.count.withUnsafeBufferPointer { counts in
                    for o in 0..<outHeight {
                        let out = scratch + o &* rowLength
                        let rows = source + firsts[o] &* rowLength, n = counts[o], w = vw.baseAddress! + o &* taps
                        var j = 0
                        while j &+ 8 <= rowLength {
                            var acc = SIMD8<Float>(repeating: 0)
                            var row = rows + j
                            for k in 0..<n {
                                let bytes = UnsafeRawPointer(row).loadUnaligned(as: SIMD8<UInt8>.self)
                                acc += (w[k] * (1 / 255)) * SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: bytes))
                                row += rowLength
                            }
                            UnsafeMutableRawPointer(out + j).storeBytes(of: acc, as: SIMD8<Float>.self)
                            j &+= 8
                        }
                        while j < rowLength {
                            var acc: Float = 0
                            for k in 0..<n { acc += (w[k] * (1 / 255)) * Float(rows[k &* rowLength &+ j]) }
                            out[j] = acc
                            j &+= 1
                        }
                    }
                }
            }
        }
        (scratch + outHeight * rowLength).initialize(repeating: 0, count: 4)

        // Horizontal pass: one 4-lane vector per pixel (r, g, b and the next pixel's red, ignored),
        // two output pixels at a time so that their two chains of additions overlap.
        let hTaps = horizontal.taps
        horizontal.weights.withUnsafeBufferPointer { hw in
            horizontal.first.withUnsafeBufferPointer { firsts in
                horizontal.count.withUnsafeBufferPointer { counts in
                    for y in 0..<outHeight {
                        let row = UnsafeRawPointer(scratch + y &* rowLength)
                        let out = destination + y &* outWidth &* 3
                        var x = 0
                        while x < outWidth {
                            let pair = x &+ 1 < outWidth
                            let x1 = pair ? x &+ 1 : x
                            var acc0 = SIMD4<Float>(repeating: 0), acc1 = SIMD4<Float>(repeating: 0)
                            let f0 = firsts[x], n0 = counts[x], f1 = firsts[x1], n1 = counts[x1]
                            let w0 = hw.baseAddress! + x &* hTaps, w1 = hw.baseAddress! + x1 &* hTaps
                            let common = Swift.min(n0, n1)
                            for k in 0..<common {
                                acc0 += w0[k] * row.loadUnaligned(fromByteOffset: (f0 &+ k) &* 12, as: SIMD4<Float>.self)
                                acc1 += w1[k] * row.loadUnaligned(fromByteOffset: (f1 &+ k) &* 12, as: SIMD4<Float>.self)
                            }
                            for k in common..<n0 {
                                acc0 += w0[k] * row.loadUnaligned(fromByteOffset: (f0 &+ k) &* 12, as: SIMD4<Float>.self)
                            }
                            for k in common..<n1 {
                                acc1 += w1[k] * row.loadUnaligned(fromByteOffset: (f1 &+ k) &* 12, as: SIMD4<Float>.self)
                            }
                            // The cubic kernel overshoots at edges; PIL clips to the byte range, we to [0, 1].
                            acc0 = acc0.clamped(lowerBound: .zero, upperBound: .one)
                            out[3 &* x] = acc0[0]; out[3 &* x &+ 1] = acc0[1]; out[3 &* x &+ 2] = acc0[2]
                            if pair {
                                acc1 = acc1.clamped(lowerBound: .zero, upperBound: .one)
                                out[3 &* x1] = acc1[0]; out[3 &* x1 &+ 1] = acc1[1]; out[3 &* x1 &+ 2] = acc1[2]
                            }
                            x &+= 2
                        }
                    }
                }
            }
        }
    }
}
