import Testing

@testable import Shared

/// optim.cl against CPUBackend: axpy and the fused SGD step.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLOptimParityTests {
    @Test func axpyMatches() {
        let x = GPUTest.pair(GPUTest.randomValues(1000, seed: 8)), y = GPUTest.pair(GPUTest.randomValues(1000, seed: 9))
        GPUTest.cpu.axpy(-0.3, x.cpu, y.cpu, count: 999)
        GPUTest.gpu.axpy(-0.3, x.gpu, y.gpu, count: 999)
        #expect(GPUTest.difference(y, count: 1000) < 1e-6)
    }

    @Test func sgdStepUpdatesAndZeroesTheGradient() {
        let p = GPUTest.pair(GPUTest.randomValues(500, seed: 10)), g = GPUTest.pair(GPUTest.randomValues(500, seed: 11))
        GPUTest.cpu.sgdStep(param: p.cpu, grad: g.cpu, count: 500, lr: 0.1, weightDecay: 0.01)
        GPUTest.gpu.sgdStep(param: p.gpu, grad: g.gpu, count: 500, lr: 0.1, weightDecay: 0.01)
        #expect(GPUTest.difference(p, count: 500) < 1e-6)
        #expect(GPUTest.read(g.gpu, count: 500).allSatisfy { $0 == 0 })
    }
}
