import CConv

/// The convolution's forward product and input gradient through the AVX2 or AVX-512 kernels of
/// `CConv`, where the CPU has them and the layer's shape suits them.
///
/// The OpenBLAS path (`CPUBackend+Conv.swift`) writes each image's patches out (im2col), has sgemm
/// copy them again into its own packed layout, and for the input gradient writes a patch-sized
/// product that is then folded back onto the pixels. These kernels read the phase planes directly
/// and sum tiles of 6 rows (up to 18 with AVX-512) × 16 pixels in registers: the forward product
/// stores each tile with the bias added, straight into the NCHW output, and the input gradient adds
/// each tile into the planes, so neither the patches nor the patch-sized gradient exist at all. The
/// weight gradient sums over pixels: it takes the output gradient transposed and sums tiles of 6
/// taps × 16 filters (32 with AVX-512) over it and the patches, read from the planes where the rows
/// are long enough, written out as for OpenBLAS otherwise (any geometry).
final class VectorConvKernels {
    /// Whether convolutions use these kernels when they can (on by default; public as
    /// `CPUBackend.usesVectorKernels`). Tests and `EngineBench --openblas-conv` turn it off to
    /// check and time the OpenBLAS path on the same machine.
    nonisolated(unsafe) static var enabled = true

    /// Whether this CPU has AVX2 and FMA, so that the kernels can run at all.
    static var available: Bool { cconv_available() != 0 }

    /// Whether the kernels are CConv's AVX-512 ones: on by default where the CPU has AVX-512 (F, DQ,
    /// VL, BW). Tests and `EngineBench --avx2` turn it off to check and time the AVX2 kernels on the
    /// same CPU; turning it on where the CPU lacks AVX-512 leaves the AVX2 kernels running.
    static var usesAVX512: Bool {
        get { cconv_uses_avx512() != 0 }
        set { cconv_use_avx512(newValue ? 1 : 0) }
    }

    /// Whether this CPU has what the AVX-512 kernels need.
    static var avx512Available: Bool { cconv_avx512_available() != 0 }

    /// Whether the weight gradient runs through `weightGradient`: the CPU has AVX2 and FMA and the
    /// kernels are enabled. It takes the patches that OpenBLAS would, so any geometry suits it.
    static var weightGradientApplies: Bool { enabled && available }

    /// Whether the weight gradient of this geometry reads the phase planes (`weightGradient(planes:…)`)
    /// rather than patches written out: it applies, and the output rows suit the kernels and are 8 to
    /// 256 pixels long.
    static func weightGradientReadsPlanes(_ g: ConvGeometry) -> Bool {
        weightGradientApplies && cconv_weight_gradient_reads_planes(layout(g, planeW: 0)) != 0
    }

    /// Whether the kernels run for convolutions of this geometry: the CPU has AVX2 and FMA, they are
    /// enabled, and the output rows are 4, 8 or a multiple of 16 pixels long (a tile takes 16 pixels
    /// from whole rows).
    static func applies(to g: ConvGeometry) -> Bool {
        enabled && available && cconv_supports(layout(g, planeW: 0)) != 0
    }

    /// How the kernels walk one image's output pixels of geometry `g`, in planes `planeW` wide.
    private static func layout(_ g: ConvGeometry, planeW: Int) -> cconv_layout {
        cconv_layout(out_w: Int32(g.outW), pixels: Int32(g.outH * g.outW), plane_w: Int32(planeW))
    }

    private let layout: cconv_layout
    /// Tap offsets into the planes, in weight order (`PhasePlanes.tapOffsets`).
    private let tapOffsets: [Int]
    /// The same in `inputGradientOrder`, the order of the transposed weights that `pack` writes.
    private let inputGradientOffsets: [Int]

    /// The taps in the order the input gradient adds them into the planes. Where output rows are 8
    /// pixels or longer, kernel column by kernel column: in weight order, the taps of columns kx
    /// and kx + 2 of a stride-2 kernel come two apart and add into the same plane one float
    /// apart, so the second waits for the first's store to reach the cache before it can read what
    /// it adds to. Rows of 4 pixels ran no faster this way.
    static func inputGradientOrder(_ g: ConvGeometry) -> [Int] {
        let taps = Array(0..<g.patch)
        guard g.outW >= 8 else { return taps }
        return taps.sorted { a, b in
            let (columnA, columnB) = (a % g.kernelW, b % g.kernelW)
            return columnA != columnB ? columnA < columnB : a < b
        }
    }
    /// 16 pixels' inputs, tap by tap, for the forward product; their output gradient, filter by
    /// filter, for the input gradient.
    private let panel: ScratchBuffer

    /// The kernels for one worker of a layer of `filters` filters, reading and writing `planes` (one
    /// worker's, of the geometry `g`).
    init(_ g: ConvGeometry, filters: Int, planes: PhasePlanes) {
        layout = Self.layout(g, planeW: planes.planeW)
        let offsets = planes.tapOffsets
        tapOffsets = offsets
        inputGradientOffsets = Self.inputGradientOrder(g).map { offsets[$0] }
        panel = ScratchBuffer(Swift.max(g.patch, filters) * Int(CCONV_TILE_PIXELS))
    }

    /// Floats that `pack` writes for a matrix of `rows` rows.
    static func packedCount(rows: Int, depth: Int) -> Int { Int(cconv_packed_rows(Int32(rows))) * depth }

    /// Packs the weights `[filters, taps]` of a layer of geometry `g` for `forward`
    /// (`transposed: false`), or their transpose, its rows in `inputGradientOrder`, for
    /// `backwardInput` (`transposed: true`).
    static func pack(
        _ weight: UnsafePointer<Float>, filters: Int, _ g: ConvGeometry, transposed: Bool,
        into packed: UnsafeMutablePointer<Float>
    ) {
        let taps = g.patch
        guard transposed else {
            cconv_pack_rows(weight, Int32(filters), Int32(taps), taps, 1, packed)
            return
        }
        let order = inputGradientOrder(g)
        var reordered = [Float](repeating: 0, count: filters * taps)
        for f in 0..<filters {
            for (i, k) in order.enumerated() { reordered[f * taps + i] = weight[f * taps + k] }
        }
        cconv_pack_rows(reordered, Int32(taps), Int32(filters), 1, taps, packed)
    }

    /// Columns of the transposed weight-gradient sums that `weightGradient` adds into: `filters`
    /// rounded up to the kernel's tiles.
    static func weightGradientWidth(filters: Int) -> Int { Int(cconv_weight_gradient_width(Int32(filters))) }

    /// Floats of scratch space one worker's `weightGradient` calls need.
    static func weightGradientScratch(filters: Int) -> Int {
        Int(CCONV_WEIGHT_GRADIENT_DEPTH) * weightGradientWidth(filters: filters)
    }

    /// Adds a chunk's weight gradient, transposed, into `sums` (`[taps, weightGradientWidth]`): the
    /// products of its patches `cols` (`[taps, columns]`) and its output gradient `gradRows`
    /// (`[filters, columns]`) over the chunk's `columns` pixels.
    static func weightGradient(
        cols: UnsafePointer<Float>, taps: Int, gradRows: UnsafePointer<Float>, filters: Int, columns: Int,
        into sums: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        cconv_weight_gradient(
            cols, columns, Int32(taps), gradRows, columns, Int32(filters), Int32(columns), sums, scratch)
    }

    /// Adds one image's weight gradient, transposed, into `sums` (as the static `weightGradient`),
    /// from its loaded planes and its output gradient `[filters, OH·OW]`.
    func weightGradient(
        planes: PhasePlanes, taps: Int, gradOut: UnsafePointer<Float>, filters: Int,
        into sums: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        tapOffsets.withUnsafeBufferPointer { offsets in
            cconv_weight_gradient_image(
                planes.planes, offsets.baseAddress!, layout, Int32(taps), gradOut, Int32(filters), sums, scratch)
        }
    }

    /// One image's output `[filters, OH·OW]` from its loaded planes.
    func forward(
        _ packedWeight: UnsafePointer<Float>, filters: Int, taps: Int, planes: PhasePlanes,
        bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>
    ) {
        tapOffsets.withUnsafeBufferPointer { offsets in
            cconv_forward_image(
                packedWeight, Int32(filters), Int32(taps), planes.planes, offsets.baseAddress!,
                layout, bias, out, panel.pointer)
        }
    }

    /// Adds one image's input gradient, from its output gradient `[filters, OH·OW]`, into `planes`.
    func backwardInput(
        _ packedTransposedWeight: UnsafePointer<Float>, filters: Int, taps: Int,
        gradOut: UnsafePointer<Float>, into planes: PhasePlanes
    ) {
        inputGradientOffsets.withUnsafeBufferPointer { offsets in
            cconv_backward_input_image(
                packedTransposedWeight, Int32(taps), Int32(filters), gradOut,
                offsets.baseAddress!, layout, planes.planes, panel.pointer)
        }
    }
}
