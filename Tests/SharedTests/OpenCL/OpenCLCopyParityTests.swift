import Testing

@testable import Engine
@testable import Shared

/// copy.cl against CPUBackend: fill and n-d strided gathers.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLCopyParityTests {
    @Test func fillWritesEveryElement() {
        let out = GPUTest.pair(count: 1000)
        GPUTest.cpu.fill(out.cpu, count: 1000, value: 2.5)
        GPUTest.gpu.fill(out.gpu, count: 1000, value: 2.5)
        #expect(GPUTest.read(out.gpu, count: 1000) == [Float](repeating: 2.5, count: 1000))
    }

    @Test(arguments: [
        // A permuted 4-d view with an offset: [2, 3, 4, 5] read as axes (2, 0, 3, 1).
        ([4, 2, 5, 3], [5, 60, 1, 20], 7),
        // A broadcast (stride 0) as conv2d uses for the bias.
        ([37, 6], [0, 1], 3),
        // The pixel-major to NCHW change of conv2d.
        ([2, 4, 9], [36, 1, 4], 0),
        // A transposed matrix and a plain contiguous block.
        ([9, 7], [1, 9], 0),
        ([5, 1, 8], [8, 8, 1], 11)
    ])
    func copyStridedMatches(shape: [Int], strides: [Int], offset: Int) {
        let source = GPUTest.pair(GPUTest.randomValues(200, seed: 1))
        let count = shape.reduce(1, *), outOffset = 5
        let out = GPUTest.pair(count: count + outOffset)
        GPUTest.cpu.copyStrided(
            source.cpu, offset: offset, shape: shape, strides: strides, into: out.cpu, outOffset: outOffset)
        GPUTest.gpu.copyStrided(
            source.gpu, offset: offset, shape: shape, strides: strides, into: out.gpu, outOffset: outOffset)
        let cpu = GPUTest.read(out.cpu, count: count + outOffset), gpu = GPUTest.read(out.gpu, count: count + outOffset)
        // Exact: a copy moves numbers, and the places before outOffset stay untouched (NaN).
        #expect(cpu.dropFirst(outOffset) == gpu.dropFirst(outOffset))
        #expect(gpu.prefix(outOffset).allSatisfy { $0.isNaN })
    }
}
