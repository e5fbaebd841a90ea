import CConv

/// One image, zero-padded and split by stride phase, so that unfolding its patches (im2col) and
/// folding gradients back (col2im) are plain copies and adds of contiguous runs.
///
/// A stride-`s` convolution reads input pixel `(oy·s + ky, ox·s + kx)` of the padded image for tap
/// `(ky, kx)` of output pixel `(oy, ox)`. Split the padded image into `s²` phase planes, plane
/// `(ry, rx)` holding the pixels whose padded row is `ry` mod `s` and column `rx` mod `s`; then that
/// pixel is entry `(oy + ky/s, ox + kx/s)` of plane `(ky mod s, kx mod s)`. For every tap, output
/// row `oy` reads `OW` consecutive entries of one plane: a copy the compiler vectorises, where
/// reading the image directly would be a strided gather with a bounds check per pixel. For stride
/// 1 there is one plane, the padded image.
///
/// Splitting costs one pass over the image, which is smaller than its patches (the chapter's 3×3,
/// stride-2 layers unfold every pixel about 2¼ times). The AVX2 kernels (`VectorConvKernels`) read
/// and write the planes themselves, through `load`, `clear`, `store` and `tapOffsets`, and never
/// unfold at all.
final class PhasePlanes {
    private let g: ConvGeometry
    /// Width of one phase plane: the padded image's, divided by the stride, rounded up.
    let planeW: Int
    private let planeSize: Int, channelSize: Int
    /// `[C][s][s][planeH][planeW]`; entries that no input pixel maps to (the border) stay zero when
    /// loading, and are ignored when storing.
    let planes: UnsafeMutablePointer<Float>
    /// For one channel: the runs of input pixels that land consecutively in a plane, as
    /// (first pixel, its entry in `planes`, count), computed once so that no loop divides.
    private let inputRuns: [(pixel: Int, entry: Int, count: Int)]
    /// Stride 2: each input row is two runs, its even and its odd pixels, which CConv splits and
    /// merges with vector shuffles, a whole image a call.
    private let evenOddRows: Bool
    /// With `evenOddRows`: where each input row of the image (channel by channel) puts its even
    /// pixels and its odd ones in `planes`, for CConv's `cconv_split_rows` and `cconv_merge_rows`.
    private let evenEntries: [Int], oddEntries: [Int]
    /// For one channel: where tap `(ky, kx)`'s inputs for output row 0 start in `planes`.
    private let tapStarts: [Int]

    init(_ g: ConvGeometry) {
        self.g = g
        let s = g.stride
        planeW = (g.width + 2 * g.padding + s - 1) / s
        let planeH = (g.height + 2 * g.padding + s - 1) / s
        planeSize = planeW * planeH
        channelSize = s * s * planeSize
        planes = .allocate(capacity: g.channels * channelSize)
        planes.initialize(repeating: 0, count: g.channels * channelSize)
        var runs: [(pixel: Int, entry: Int, count: Int)] = []
        for y in 0..<g.height {
            let py = y + g.padding
            for rx in 0..<s {
                // The first column x ≥ 0 with (x + padding) mod s == rx.
                let x0 = ((rx - g.padding) % s + s) % s
                guard x0 < g.width else { continue }
                let entry = ((py % s) * s + rx) * planeSize + (py / s) * planeW + (x0 + g.padding) / s
                runs.append((y * g.width + x0, entry, (g.width - 1 - x0) / s + 1))
            }
        }
        // Within a row, the run starting at column 0 first, then the one at column 1, …
        runs.sort { $0.pixel < $1.pixel }
        inputRuns = runs
        evenOddRows = s == 2 && g.width >= 2
        // Sorted by pixel, a stride-2 row's runs come in pairs: the even pixels' first.
        let rowRuns = evenOddRows ? stride(from: 0, to: runs.count, by: 2).map { (runs[$0], runs[$0 + 1]) } : []
        let channelSize = channelSize
        evenEntries = (0..<g.channels).flatMap { ch in rowRuns.map { ch * channelSize + $0.0.entry } }
        oddEntries = (0..<g.channels).flatMap { ch in rowRuns.map { ch * channelSize + $0.1.entry } }
        let planeSize = planeSize, planeW = planeW
        tapStarts = (0..<g.kernelH).flatMap { ky in
            (0..<g.kernelW).map { kx in ((ky % s) * s + kx % s) * planeSize + (ky / s) * planeW + kx / s }
        }
    }

    deinit { planes.deallocate() }

    /// For every tap `(ch, ky, kx)` in weight order: where its input for output pixel (0, 0) sits in
    /// `planes`; output pixel `(oy, ox)` reads `oy · planeW + ox` entries further on.
    var tapOffsets: [Int] {
        (0..<g.channels).flatMap { ch in tapStarts.map { ch * channelSize + $0 } }
    }

    /// Unfolds image `n` of NCHW `x` into `cols`: one row per tap `(ch, ky, kx)`, `rowStride` apart,
    /// each holding the tap's value for the image's `OH·OW` output pixels.
    func unfold(_ x: UnsafePointer<Float>, image n: Int, into cols: UnsafeMutablePointer<Float>, rowStride: Int) {
        load(x, image: n)
        copyTaps(into: cols, rowStride: rowStride)
    }

    /// The adjoint of `unfold`: adds every entry of the rows of `cols` onto the input pixel it was
    /// read from, and writes the sums as image `n` of NCHW `dx` (overwriting it).
    func fold(_ cols: UnsafePointer<Float>, rowStride: Int, into dx: UnsafeMutablePointer<Float>, image n: Int) {
        clear()
        addTaps(from: cols, rowStride: rowStride)
        store(into: dx, image: n)
    }

    /// Splits image `n` of NCHW `x` into the planes.
    func load(_ x: UnsafePointer<Float>, image n: Int) {
        let image = x + n &* g.channels &* g.height &* g.width, stride = g.stride
        if evenOddRows {
            cconv_split_rows(
                image, Int32(g.channels * g.height), Int32(g.width), evenEntries, oddEntries, planes)
            return
        }
        forEachInputRun { pixel, entry, count in
            let source = image + pixel, target = planes + entry
            for i in 0..<count { target[i] = source[i &* stride] }
        }
    }

    /// Writes the planes' patches into `cols`: one row per tap `(ch, ky, kx)`, `rowStride` apart,
    /// each holding the tap's value for the image's `OH·OW` output pixels.
    private func copyTaps(into cols: UnsafeMutablePointer<Float>, rowStride: Int) {
        let ow = g.outW
        // The chapter's layers have rows of 32, 16, 8 and 4 pixels, copied a few hundred thousand
        // times per batch: a row that is one vector of known width skips the loop and its tail.
        switch ow {
        case 4: forEachTapRow(of: cols, rowStride: rowStride) { copyVector($0, $1, SIMD4<Float>.self) }
        case 8: forEachTapRow(of: cols, rowStride: rowStride) { copyVector($0, $1, SIMD8<Float>.self) }
        case 16: forEachTapRow(of: cols, rowStride: rowStride) { copyVector($0, $1, SIMD16<Float>.self) }
        default: forEachTapRow(of: cols, rowStride: rowStride) { copyRun($0, $1, ow) }
        }
    }

    /// Zeroes the planes, before gradients are added into them.
    func clear() {
        planes.update(repeating: 0, count: g.channels &* channelSize)
    }

    /// Adds each entry of the rows of `cols` (laid out as `copyTaps` writes them) onto the plane
    /// entry it was read from.
    private func addTaps(from cols: UnsafePointer<Float>, rowStride: Int) {
        let ow = g.outW
        let source = UnsafeMutablePointer(mutating: cols)
        switch ow {  // as in `copyTaps`
        case 4: forEachTapRow(of: source, rowStride: rowStride) { addVector($1, $0, SIMD4<Float>.self) }
        case 8: forEachTapRow(of: source, rowStride: rowStride) { addVector($1, $0, SIMD8<Float>.self) }
        case 16: forEachTapRow(of: source, rowStride: rowStride) { addVector($1, $0, SIMD16<Float>.self) }
        default: forEachTapRow(of: source, rowStride: rowStride) { addRun($1, $0, ow) }
        }
    }

    /// Writes the planes, each input pixel's entry, as image `n` of NCHW `dx` (overwriting it).
    func store(into dx: UnsafeMutablePointer<Float>, image n: Int) {
        let image = dx + n &* g.channels &* g.height &* g.width, stride = g.stride
        if evenOddRows {
            cconv_merge_rows(
                planes, evenEntries, oddEntries, Int32(g.channels * g.height), Int32(g.width), image)
            return
        }
        forEachInputRun { pixel, entry, count in
            let target = image + pixel, source = planes + entry
            for i in 0..<count { target[i &* stride] = source[i] }
        }
    }

    /// Calls `body(plane, patches)` for every tap `(ch, ky, kx)` and output row `oy`: `plane` is
    /// where the tap's `OW` inputs for that row start in `planes`, `patches` where they sit in the
    /// tap's row of `cols` (rows `rowStride` apart, each `OH·OW` long from its start).
    @inline(__always)
    private func forEachTapRow(
        of cols: UnsafeMutablePointer<Float>, rowStride: Int,
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let oh = g.outH, ow = g.outW, planeW = planeW
        tapStarts.withUnsafeBufferPointer { tapStarts in
            var row = cols
            for ch in 0..<g.channels {
                let channel = planes + ch &* channelSize
                for tap in tapStarts {
                    var plane = channel + tap, patches = row
                    for _ in 0..<oh {
                        body(plane, patches)
                        plane += planeW
                        patches += ow
                    }
                    row += rowStride
                }
            }
        }
    }

    /// Calls `run(pixel, entry, count)` for every run of input pixels of every channel: the pixels
    /// `s` apart from index `pixel` of the NCHW image sit at `count` consecutive entries of `planes`
    /// from `entry`.
    @inline(__always)
    private func forEachInputRun(_ run: (Int, Int, Int) -> Void) {
        let imagePlane = g.height &* g.width
        inputRuns.withUnsafeBufferPointer { runs in
            for ch in 0..<g.channels {
                let pixel = ch &* imagePlane, entry = ch &* channelSize
                for r in runs { run(pixel &+ r.pixel, entry &+ r.entry, r.count) }
            }
        }
    }
}

// Runs of a few floats, vectorised by hand: the compiler's own vector loop for `a[i] = b[i]` first
// checks the two for overlap and the count for a minimum, which costs more than the copy itself on
// the 4- to 32-float rows of small feature maps, and it leaves `a[i] += b[i]` scalar altogether.
// Rows of exactly one vector get their own functions, with no loop at all.

/// Copies one vector's worth of floats.
@inline(__always)
private func copyVector<V: SIMD>(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, _: V.Type)
where V.Scalar == Float {
    UnsafeMutableRawPointer(target).storeBytes(of: UnsafeRawPointer(source).loadUnaligned(as: V.self), as: V.self)
}

/// `target[0..<count] = source[0..<count]`.
@inline(__always)
private func copyRun(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i &+ 4 <= count {
        UnsafeMutableRawPointer(target + i).storeBytes(
            of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
        i &+= 4
    }
    while i < count {
        target[i] = source[i]
        i &+= 1
    }
}

/// Adds one vector's worth of floats.
@inline(__always)
private func addVector<V: SIMD>(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, _: V.Type)
where V.Scalar == Float {
    let sum = UnsafeRawPointer(target).loadUnaligned(as: V.self) + UnsafeRawPointer(source).loadUnaligned(as: V.self)
    UnsafeMutableRawPointer(target).storeBytes(of: sum, as: V.self)
}

/// `target[0..<count] += source[0..<count]`.
@inline(__always)
private func addRun(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i &+ 4 <= count {
        let sum =
            UnsafeRawPointer(target + i).loadUnaligned(as: SIMD4<Float>.self)
            + UnsafeRawPointer(source + i).loadUnaligned(as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(target + i).storeBytes(of: sum, as: SIMD4<Float>.self)
        i &+= 4
    }
    while i < count {
        target[i] += source[i]
        i &+= 1
    }
}
