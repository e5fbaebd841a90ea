/// PIL's `Image.resize` filter, antialiased bicubic, from 8-bit RGB to Float32; the pass between
/// the two axes stays in Float32 where PIL rounds it to bytes.
public final class ImageResizer {
    /// Tap weights for one axis of one (source size, target size) pair. Every output index reads the
    /// same number of taps (`taps`), from `first[o]` on, with zero weights where PIL's kernel would be
    /// shorter: the inner loops then have a fixed length and several outputs can be computed side by
    /// side.
    struct AxisWeights {
        /// First source index read by each output index; `first[o] + taps <= inSize`.
        var first: [Int]
        /// `taps` weights per output index, summing to 1.
        var weights: [Float]
        var taps: Int

        init(from inSize: Int, to outSize: Int) {
            let scale = Double(inSize) / Double(outSize)
            let filterScale = Swift.max(scale, 1)
            let support = 2.0 * filterScale
            var spans: [(lo: Int, w: [Double])] = []
            for o in 0..<outSize {
                let center = (Double(o) + 0.5) * scale
                let lo = Swift.max(Int(center - support + 0.5), 0)
                let hi = Swift.min(Int(center + support + 0.5), inSize)
                var w = (lo..<hi).map { AxisWeights.cubic((Double($0) - center + 0.5) / filterScale) }
                let total = w.reduce(0, +)
                if total != 0 { w = w.map { $0 / total } }
                spans.append((lo, w))
            }
            taps = Swift.min(spans.map(\.w.count).max() ?? 1, inSize)
            first = [Int](repeating: 0, count: outSize)
            weights = [Float](repeating: 0, count: outSize * taps)
            for (o, span) in spans.enumerated() {
                // Start early enough that the fixed-length window stays inside the source.
                let start = Swift.min(span.lo, inSize - taps)
                first[o] = start
                for (k, w) in span.w.enumerated() { weights[o * taps + span.lo - start + k] = Float(w) }
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
    /// The source image as floats in [0, 1].
    private var floatSource: UnsafeMutablePointer<Float>
    private var floatSourceCapacity: Int

    /// A resizer with empty caches. Not thread-safe: give each thread its own.
    public init() {
        scratchCapacity = 64 * 256 * 3 + 4
        scratch = .allocate(capacity: scratchCapacity)
        floatSourceCapacity = 128 * 256 * 3
        floatSource = .allocate(capacity: floatSourceCapacity)
    }

    deinit {
        scratch.deallocate()
        floatSource.deallocate()
    }

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
    public func resize(
        _ source: UnsafePointer<UInt8>, width: Int, height: Int,
        into destination: UnsafeMutablePointer<Float>, outWidth: Int, outHeight: Int
    ) {
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

        // The source as floats once (the 1/255 scaling folded in), rather than converting each byte
        // again for every output row whose window covers it.
        let sourceCount = height * rowLength
        if sourceCount > floatSourceCapacity {
            floatSource.deallocate()
            floatSource = .allocate(capacity: sourceCount)
            floatSourceCapacity = sourceCount
        }
        let floats = floatSource
        for i in 0..<sourceCount { floats[i] = Float(source[i]) * (1 / 255) }

        // Vertical pass first: each output row is a weighted sum of whole source rows. Sixteen
        // columns at a time, summed over the taps in registers and stored once.
        vertical.weights.withUnsafeBufferPointer { vw in
            vertical.first.withUnsafeBufferPointer { vfirst in
                let taps = vertical.taps
                for o in 0..<outHeight {
                    let out = scratch + o * rowLength
                    let w = vw.baseAddress! + o * taps
                    let window = UnsafeRawPointer(floats + vfirst[o] * rowLength)
                    let rowBytes = rowLength * MemoryLayout<Float>.stride
                    var j = 0
                    while j + 16 <= rowLength {
                        var sum = SIMD16<Float>()
                        for k in 0..<taps {
                            sum +=
                                w[k]
                                * window.loadUnaligned(fromByteOffset: k * rowBytes + j * 4, as: SIMD16<Float>.self)
                        }
                        UnsafeMutableRawPointer(out + j).storeBytes(of: sum, as: SIMD16<Float>.self)
                        j += 16
                    }
                    while j < rowLength {
                        var sum: Float = 0
                        for k in 0..<taps { sum += w[k] * floats[(vfirst[o] + k) * rowLength + j] }
                        out[j] = sum
                        j += 1
                    }
                }
            }
        }
        (scratch + outHeight * rowLength).initialize(repeating: 0, count: 4)

        // Horizontal pass: one 4-lane vector per pixel (r, g, b and the next pixel's red, ignored),
        // four output pixels at a time so their sums are independent chains the CPU overlaps.
        let taps = horizontal.taps
        horizontal.weights.withUnsafeBufferPointer { hw in
            horizontal.first.withUnsafeBufferPointer { hfirst in
                for y in 0..<outHeight {
                    let row = UnsafeRawPointer(scratch + y * rowLength)
                    let out = destination + y * outWidth * 3
                    var x = 0
                    while x + 4 <= outWidth {
                        var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
                        let p0 = row + hfirst[x] * 12, p1 = row + hfirst[x + 1] * 12
                        let p2 = row + hfirst[x + 2] * 12, p3 = row + hfirst[x + 3] * 12
                        let w = hw.baseAddress! + x * taps
                        for k in 0..<taps {
                            a0 += w[k] * p0.loadUnaligned(fromByteOffset: k * 12, as: SIMD4<Float>.self)
                            a1 += w[taps + k] * p1.loadUnaligned(fromByteOffset: k * 12, as: SIMD4<Float>.self)
                            a2 += w[2 * taps + k] * p2.loadUnaligned(fromByteOffset: k * 12, as: SIMD4<Float>.self)
                            a3 += w[3 * taps + k] * p3.loadUnaligned(fromByteOffset: k * 12, as: SIMD4<Float>.self)
                        }
                        ImageResizer.store(a0, out + 3 * x)
                        ImageResizer.store(a1, out + 3 * x + 3)
                        ImageResizer.store(a2, out + 3 * x + 6)
                        ImageResizer.store(a3, out + 3 * x + 9)
                        x += 4
                    }
                    while x < outWidth {
                        var a = SIMD4<Float>()
                        let p = row + hfirst[x] * 12
                        for k in 0..<taps {
                            a += hw[x * taps + k] * p.loadUnaligned(fromByteOffset: k * 12, as: SIMD4<Float>.self)
                        }
                        ImageResizer.store(a, out + 3 * x)
                        x += 1
                    }
                }
            }
        }
    }

    /// Writes r, g, b of `pixel`, clipped to [0, 1]: the cubic kernel overshoots at edges, and PIL
    /// clips to the byte range.
    @inline(__always)
    private static func store(_ pixel: SIMD4<Float>, _ out: UnsafeMutablePointer<Float>) {
        out[0] = Swift.min(Swift.max(pixel[0], 0), 1)
        out[1] = Swift.min(Swift.max(pixel[1], 0), 1)
        out[2] = Swift.min(Swift.max(pixel[2], 0), 1)
    }
}
