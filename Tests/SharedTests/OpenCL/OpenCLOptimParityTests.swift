import Testing

@testable import Engine
@testable import Shared

/// optim.cl against CPUBackend: axpy, and the chapter's SGD step written with tensor ops on both.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLOptimParityTests {
    @Test func axpyMatches() {
        let x = GPUTest.pair(GPUTest.randomValues(1000, seed: 8)), y = GPUTest.pair(GPUTest.randomValues(1000, seed: 9))
        GPUTest.cpu.axpy(-0.3, x.cpu, y.cpu, count: 999)
        GPUTest.gpu.axpy(-0.3, x.gpu, y.gpu, count: 999)
        #expect(GPUTest.difference(y, count: 1000) < 1e-6)
    }

    @Test func sgdStepMatchesTheCPUAndZeroesTheGradient() {
        let values = GPUTest.randomValues(500, seed: 10), grads = GPUTest.randomValues(500, seed: 11)
        var results: [[Float]] = []
        for device in [Device.cpu, .gpu] {
            let p = Parameter(Tensor(values, device: device))
            (p * Tensor(grads, device: device)).sum().backward()  // p.grad = grads
            SGD([p], lr: 0.1, wd: 0.01).step()
            #expect(p.device == device && p.grad!.toArray().allSatisfy { $0 == 0 })
            results.append(p.toArray())
        }
        let expected = zip(values, grads).map { p, g in p - (g + p * 0.01) * 0.1 }
        #expect(GPUTest.difference(results[0], expected) < 1e-6)
        #expect(GPUTest.difference(results[1], results[0]) < 1e-6)
    }
}
