import Testing

@testable import Engine
@testable import Shared

/// conv.cl against CPUBackend: im2col, and col2im as a gather per input pixel.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLConvParityTests {
    static let geometries = [
        ConvGeometry(batch: 2, channels: 3, height: 9, width: 7, kernelH: 3, kernelW: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 1, channels: 2, height: 6, width: 6, kernelH: 2, kernelW: 3, stride: 1, padding: 0),
        ConvGeometry(batch: 2, channels: 4, height: 5, width: 8, kernelH: 3, kernelW: 3, stride: 3, padding: 2)
    ]

    @Test(arguments: geometries)
    func im2colMatches(geometry g: ConvGeometry) {
        let x = GPUTest.pair(GPUTest.randomValues(g.batch * g.channels * g.height * g.width, seed: 13))
        let col = GPUTest.pair(count: g.rows * g.patch)
        GPUTest.cpu.im2col(x.cpu, g, into: col.cpu)
        GPUTest.gpu.im2col(x.gpu, g, into: col.gpu)
        #expect(GPUTest.difference(col, count: g.rows * g.patch) == 0)
    }

    @Test(arguments: geometries)
    func col2imMatches(geometry g: ConvGeometry) {
        let col = GPUTest.pair(GPUTest.randomValues(g.rows * g.patch, seed: 14))
        let count = g.batch * g.channels * g.height * g.width
        let out = GPUTest.pair(count: count)
        GPUTest.cpu.col2im(col.cpu, g, into: out.cpu)
        GPUTest.gpu.col2im(col.gpu, g, into: out.gpu)
        #expect(GPUTest.difference(out, count: count) < 1e-6)
    }
}
