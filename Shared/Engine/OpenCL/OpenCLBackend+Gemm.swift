/// The tile sizes of the matrix-product kernel in gemm.cl; each tiling is its own build of the file.
///
/// A work-group computes a `tileM × tileN` block of C with `(tileN / perThreadN) × (tileM / perThreadM)`
/// work-items, each holding a `perThreadM × perThreadN` micro-tile in registers, and walks K
/// `tileK` at a time through local memory. Override with `WORKBOOK_GEMM_TILING=tileM,tileN,tileK,perThreadM,perThreadN`
/// (GPUCheck's `--gemm-tilings` compares several on the device in one run).
public struct GemmTiling: Equatable, CustomStringConvertible, Sendable {
    public var tileM: Int, tileN: Int, tileK: Int, perThreadM: Int, perThreadN: Int

    public init(tileM: Int, tileN: Int, tileK: Int, perThreadM: Int, perThreadN: Int) {
        self.tileM = tileM
        self.tileN = tileN
        self.tileK = tileK
        self.perThreadM = perThreadM
        self.perThreadN = perThreadN
    }

    /// 64 × 64 tiles, 8 × 8 per work-item (64 work-items), K in steps of 16: 64 multiply-adds per 16
    /// local reads, and narrow enough that the convolution products (16–128 output channels) waste
    /// little of a tile.
    public static let standard = GemmTiling(tileM: 64, tileN: 64, tileK: 16, perThreadM: 8, perThreadN: 8)

    /// Work-items along N (local size x) and along M (local size y).
    public var threadsX: Int { tileN / perThreadN }
    public var threadsY: Int { tileM / perThreadM }

    /// The `-D` flags that build gemm.cl with this tiling.
    var options: String {
        "-DTS_M=\(tileM) -DTS_N=\(tileN) -DTS_K=\(tileK) -DWPT_M=\(perThreadM) -DWPT_N=\(perThreadN)"
    }

    public var description: String { "\(tileM)x\(tileN)x\(tileK)/\(perThreadM)x\(perThreadN)" }

    /// Parses `"64,64,16,8,8"`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",").compactMap { Int(String($0).trimmingTrailingSpaces()) }
        guard parts.count == 5 else { return nil }
        self.init(tileM: parts[0], tileN: parts[1], tileK: parts[2], perThreadM: parts[3], perThreadN: parts[4])
    }

    /// Why this tiling cannot run on a device with work-groups of at most `maxWorkGroup`, or nil.
    public func problem(maxWorkGroup: Int) -> String? {
        guard [tileM, tileN, tileK, perThreadM, perThreadN].allSatisfy({ $0 > 0 }) else {
            return "sizes must be positive"
        }
        guard tileM % perThreadM == 0, tileN % perThreadN == 0 else {
            return "tiles must split evenly into micro-tiles"
        }
        let threads = threadsX * threadsY
        guard threads <= maxWorkGroup else { return "\(threads) work-items exceed the device's \(maxWorkGroup)" }
        guard (tileM * tileK) % threads == 0, (tileK * tileN) % threads == 0 else {
            return "the \(threads) work-items must load the panels in whole steps"
        }
        return nil
    }

    /// The tiling `WORKBOOK_GEMM_TILING` asks for, if set; throws when it is malformed.
    static func fromEnvironment() throws -> GemmTiling? {
        guard let text = OpenCLDevices.environment("WORKBOOK_GEMM_TILING"), !text.isEmpty else { return nil }
        guard let tiling = GemmTiling(parsing: text) else {
            throw OpenCLSetupError(
                "WORKBOOK_GEMM_TILING=\(text) is not five numbers tileM,tileN,tileK,perThreadM,perThreadN")
        }
        return tiling
    }
}

/// Matrix products (Shared/Kernels/gemm.cl).
extension OpenCLBackend {
    public func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: Storage, aOffset: Int, lda: Int, b: Storage, bOffset: Int, ldb: Int,
        beta: Float, c: Storage, cOffset: Int, ldc: Int
    ) {
        gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, aOffset: aOffset, lda: lda,
            b: b, bOffset: bOffset, ldb: ldb, beta: beta, c: c, cOffset: cOffset, ldc: ldc,
            tiling: gemmTiling, busyGroups: busyGroups)
    }

    /// `gemm` with the tiling and the split threshold explicit (for tests and tiling comparisons).
    ///
    /// When C has fewer tiles than `busyGroups` and K is long, K is cut into slices computed by
    /// separate work-groups into a scratch block, then summed into C by `gemm_slices_sum`: the weight
    /// gradient of a convolution (a 16 × 27 result summed over 131072 pixels) would otherwise run on
    /// a single work-group.
    func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: Storage, aOffset: Int, lda: Int, b: Storage, bOffset: Int, ldb: Int,
        beta: Float, c: Storage, cOffset: Int, ldc: Int, tiling: GemmTiling, busyGroups: Int
    ) {
        guard m > 0, n > 0 else { return }
        if let problem = tiling.problem(maxWorkGroup: deviceInfo.maxWorkGroupSize) {
            engineFailure("gemm", "tiling \(tiling) cannot run: \(problem)")
        }
        let tiles = ((m + tiling.tileM - 1) / tiling.tileM) * ((n + tiling.tileN - 1) / tiling.tileN)
        var slices = 1
        let minSlice = 256
        if tiles < busyGroups && k >= 2 * minSlice {
            slices = Swift.min((busyGroups + tiles - 1) / tiles, k / minSlice, 64)
        }
        var kChunk = Swift.max(k, 1)
        if slices > 1 {
            kChunk = ((k + slices - 1) / slices + tiling.tileK - 1) / tiling.tileK * tiling.tileK
            slices = (k + kChunk - 1) / kChunk
        }
        let aMem = buffer(a, "gemm"), bMem = buffer(b, "gemm")
        let partial = slices > 1 ? allocate(slices * m * n) : c
        let target = buffer(partial, "gemm")
        let options = tiling.options
        run(
            "gemm", in: "gemm.cl", options: options,
            [
                .int(transA ? 1 : 0), .int(transB ? 1 : 0), .int(m), .int(n), .int(k), .float(alpha),
                .buffer(aMem), .int(aOffset), .int(lda), .buffer(bMem), .int(bOffset), .int(ldb),
                .float(slices > 1 ? 0 : beta), .buffer(target), .int(slices > 1 ? 0 : cOffset),
                .int(slices > 1 ? n : ldc),
                .int(kChunk), .int(m * n)
            ],
            global: [
                (n + tiling.tileN - 1) / tiling.tileN * tiling.threadsX,
                (m + tiling.tileM - 1) / tiling.tileM * tiling.threadsY, slices
            ],
            local: [tiling.threadsX, tiling.threadsY, 1])
        if slices > 1 {
            run(
                "gemm_slices_sum", in: "gemm.cl", options: options,
                [
                    .buffer(target), .int(slices), .int(m), .int(n), .float(beta), .buffer(buffer(c, "gemm")),
                    .int(cOffset), .int(ldc)
                ],
                global: [n, m], local: [16, Swift.max(1, Swift.min(16, groupSize / 16))])
        }
    }
}
