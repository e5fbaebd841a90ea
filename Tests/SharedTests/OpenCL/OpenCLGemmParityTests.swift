import Testing

@testable import Engine
@testable import Shared

/// gemm.cl against OpenBLAS: both transposes, edge tiles, offsets and leading dimensions, alpha and
/// beta, the K-split path and a second tiling.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLGemmParityTests {
    static let smallTiling = GemmTiling(tileM: 32, tileN: 32, tileK: 8, perThreadM: 4, perThreadN: 4)

    /// Runs one product on both backends and returns the relative difference over all of C.
    func compare(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float,
        tiling: GemmTiling = .standard, busyGroups: Int = 8
    ) -> Float {
        // Offsets and padded leading dimensions, as a view of a bigger matrix would have.
        let aOffset = 3, bOffset = 5, cOffset = 2
        let lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3
        let a = GPUTest.pair(GPUTest.randomValues(aOffset + (transA ? k : m) * lda, seed: 17))
        let b = GPUTest.pair(GPUTest.randomValues(bOffset + (transB ? n : k) * ldb, seed: 18))
        let cCount = cOffset + m * ldc
        let c = GPUTest.pair(GPUTest.randomValues(cCount, seed: 19))
        GPUTest.cpu.gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a.cpu, aOffset: aOffset,
            lda: lda, b: b.cpu, bOffset: bOffset, ldb: ldb, beta: beta, c: c.cpu, cOffset: cOffset, ldc: ldc)
        GPUTest.gpu.gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a.gpu, aOffset: aOffset,
            lda: lda, b: b.gpu, bOffset: bOffset, ldb: ldb, beta: beta, c: c.gpu, cOffset: cOffset, ldc: ldc,
            tiling: tiling, busyGroups: busyGroups)
        // Relative to sqrt(k): each entry is a k-long sum of products of unit normals.
        return GPUTest.difference(c, count: cCount) / Float(max(k, 1)).squareRoot()
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func transposesAndEdgeTilesMatch(trans: (Bool, Bool)) {
        #expect(compare(transA: trans.0, transB: trans.1, m: 70, n: 45, k: 37, alpha: 1, beta: 0) < 1e-5)
        #expect(compare(transA: trans.0, transB: trans.1, m: 5, n: 130, k: 19, alpha: 0.5, beta: 1) < 1e-5)
    }

    @Test func betaScalesTheExistingResult() {
        #expect(compare(transA: false, transB: true, m: 33, n: 17, k: 64, alpha: -2, beta: 0.5) < 1e-5)
    }

    @Test func longSumsSplitIntoSlices() {
        // 16 × 27 outputs over k = 2000: one tile, so with busyGroups 64 the K axis is sliced.
        #expect(compare(transA: true, transB: false, m: 16, n: 27, k: 2000, alpha: 1, beta: 0, busyGroups: 64) < 1e-5)
        #expect(compare(transA: false, transB: false, m: 9, n: 11, k: 1500, alpha: 0.5, beta: 1, busyGroups: 64) < 1e-5)
    }

    @Test func anotherTilingGivesTheSameProduct() {
        #expect(
            compare(transA: false, transB: true, m: 50, n: 70, k: 33, alpha: 1, beta: 0, tiling: Self.smallTiling)
                < 1e-5)
        #expect(
            compare(
                transA: true, transB: false, m: 8, n: 8, k: 1024, alpha: 1, beta: 1, tiling: Self.smallTiling,
                busyGroups: 64) < 1e-5)
    }

    @Test func emptyKLeavesBetaTimesC() {
        #expect(compare(transA: false, transB: false, m: 4, n: 6, k: 0, alpha: 1, beta: 0.5) < 1e-6)
    }

    @Test func impossibleTilingsAreExplained() {
        let bad = GemmTiling(tileM: 64, tileN: 64, tileK: 16, perThreadM: 3, perThreadN: 8)
        #expect(bad.problem(maxWorkGroup: 1024) != nil)
        #expect(GemmTiling.standard.problem(maxWorkGroup: 1024) == nil)
        #expect(
            GemmTiling(parsing: "128,64,8,8,4")
                == GemmTiling(tileM: 128, tileN: 64, tileK: 8, perThreadM: 8, perThreadN: 4))
        #expect(GemmTiling(parsing: "1,2") == nil)
    }
}
