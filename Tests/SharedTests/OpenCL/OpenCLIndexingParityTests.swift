import Testing

@testable import Shared

/// indexing.cl against CPUBackend: nll's pick of one element per row, and its gradient's scatter.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLIndexingParityTests {
    @Test func gatherPairsMatches() {
        let x = GPUTest.pair(GPUTest.randomValues(64 * 10, seed: 12))
        let rows = (0..<64).map(Float.init), cols = (0..<64).map { Float(($0 * 7) % 10) }
        let r = GPUTest.pair(rows), c = GPUTest.pair(cols), out = GPUTest.pair(count: 64)
        GPUTest.cpu.gatherPairs(x.cpu, rowStride: 10, rows: r.cpu, cols: c.cpu, count: 64, into: out.cpu)
        GPUTest.gpu.gatherPairs(x.gpu, rowStride: 10, rows: r.gpu, cols: c.gpu, count: 64, into: out.gpu)
        #expect(GPUTest.difference(out, count: 64) == 0)
    }

    @Test func scatterAddPairsSumsRepeatedPlaces() {
        // Pairs 0, 3 and 5 aim at the same place, as do 1 and 4: their values must add up.
        let rows: [Float] = [0, 1, 2, 0, 1, 0, 3], cols: [Float] = [2, 1, 0, 2, 1, 2, 3]
        let values = GPUTest.pair([1, 2, 3, 4, 5, 6, 7])
        let r = GPUTest.pair(rows), c = GPUTest.pair(cols)
        let out = GPUTest.pair(count: 16, value: 0)
        GPUTest.cpu.scatterAddPairs(values.cpu, rowStride: 4, rows: r.cpu, cols: c.cpu, count: 7, into: out.cpu)
        GPUTest.gpu.scatterAddPairs(values.gpu, rowStride: 4, rows: r.gpu, cols: c.gpu, count: 7, into: out.gpu)
        let gpu = GPUTest.read(out.gpu, count: 16)
        #expect(gpu == GPUTest.read(out.cpu, count: 16))
        #expect(gpu[2] == 11 && gpu[5] == 7 && gpu[8] == 3 && gpu[15] == 7)
    }
}
