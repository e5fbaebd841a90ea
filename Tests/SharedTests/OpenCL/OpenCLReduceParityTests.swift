import Testing

@testable import Engine
@testable import Shared

/// reduce.cl against CPUBackend, over shapes that reach each of its kernels: short axes, long rows
/// (work-group trees), long columns, and long sums split into chunks.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLReduceParityTests {
    /// (outer, size, inner, busyGroups): busyGroups 10_000 forces the chunked sums on any device.
    static let shapes: [(Int, Int, Int, Int)] = [
        (3, 7, 5, 8), (40, 16, 1, 8), (4, 3000, 1, 8), (2, 500, 33, 8), (1, 6000, 16, 10_000),
        (3, 5000, 1, 10_000), (1, 1, 1, 8), (2, 0, 3, 8)
    ]

    @Test(arguments: shapes)
    func sumMatches(shape: (Int, Int, Int, Int)) {
        let (outer, size, inner, busy) = shape
        let x = GPUTest.pair(GPUTest.randomValues(max(outer * size * inner, 1), seed: 15))
        let out = GPUTest.pair(count: outer * inner)
        GPUTest.cpu.reduce(.sum, x.cpu, outer: outer, size: size, inner: inner, into: out.cpu, indices: nil)
        GPUTest.gpu.reduce(
            .sum, x.gpu, outer: outer, size: size, inner: inner, into: out.gpu, indices: nil, busyGroups: busy)
        // Sums of up to 6000 numbers in another order: relative to sqrt(size), not to 1.
        #expect(GPUTest.difference(out, count: outer * inner) < 1e-5 * Float(max(size, 1)).squareRoot())
    }

    @Test(arguments: shapes.filter { $0.1 > 0 })
    func maxMatchesWithIndices(shape: (Int, Int, Int, Int)) {
        let (outer, size, inner, busy) = shape
        var values = GPUTest.randomValues(outer * size * inner, seed: 16)
        // Ties (the first position must win), a NaN, and an all -inf line.
        for i in stride(from: 0, to: values.count, by: 11) { values[i] = 3 }
        if values.count > 40 { values[37] = .nan }
        if size > 1 && inner == 1 && outer > 1 { for s in 0..<size { values[(outer - 1) * size + s] = -.infinity } }
        let x = GPUTest.pair(values)
        let out = GPUTest.pair(count: outer * inner), indices = GPUTest.pair(count: outer * inner)
        GPUTest.cpu.reduce(.max, x.cpu, outer: outer, size: size, inner: inner, into: out.cpu, indices: indices.cpu)
        GPUTest.gpu.reduce(
            .max, x.gpu, outer: outer, size: size, inner: inner, into: out.gpu, indices: indices.gpu,
            busyGroups: busy)
        #expect(GPUTest.difference(out, count: outer * inner) == 0)
        #expect(GPUTest.read(indices.cpu, count: outer * inner) == GPUTest.read(indices.gpu, count: outer * inner))
    }
}
