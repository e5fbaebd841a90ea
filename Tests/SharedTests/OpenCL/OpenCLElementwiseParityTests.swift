import Testing

@testable import Engine
@testable import Shared

/// elementwise.cl against CPUBackend: every unary op, affine, and every binary op over broadcasts.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLElementwiseParityTests {
    @Test(arguments: [UnaryOp.exp, .log, .relu, .sqrt, .pow, .abs])
    func unaryMatches(op: UnaryOp) {
        var values = GPUTest.randomValues(300, seed: 2)
        if op == .log || op == .sqrt || op == .pow { values = values.map { abs($0) + 0.1 } }
        let x = GPUTest.pair(values)
        let count = 290, offset = 10
        let out = GPUTest.pair(count: count)
        GPUTest.cpu.unary(op, x.cpu, offset: offset, count: count, param: 1.5, into: out.cpu)
        GPUTest.gpu.unary(op, x.gpu, offset: offset, count: count, param: 1.5, into: out.gpu)
        #expect(GPUTest.difference(out, count: count) < 1e-5)
    }

    @Test func affineMatches() {
        let x = GPUTest.pair(GPUTest.randomValues(100, seed: 3))
        let out = GPUTest.pair(count: 97)
        GPUTest.cpu.affine(x.cpu, offset: 3, count: 97, scale: -1.5, shift: 0.25, into: out.cpu)
        GPUTest.gpu.affine(x.gpu, offset: 3, count: 97, scale: -1.5, shift: 0.25, into: out.gpu)
        #expect(GPUTest.difference(out, count: 97) == 0)
    }

    @Test(arguments: [BinaryOp.add, .sub, .mul, .div, .eq, .ne, .gt, .lt, .ge, .le, .reluGrad])
    func binaryMatchesOverBroadcast(op: BinaryOp) {
        // a: [3, 1, 5] at offset 2; b: [4, 5] transposed in memory (strides [1, 4]); out [3, 4, 5].
        var aValues = GPUTest.randomValues(20, seed: 4), bValues = GPUTest.randomValues(20, seed: 5)
        // Some equal pairs so that the comparisons see ties.
        aValues[2] = bValues[0]
        aValues[3] = bValues[4]
        let a = GPUTest.pair(aValues), b = GPUTest.pair(bValues)
        let plan = BroadcastPlan(shape: [3, 4, 5], aStrides: [5, 0, 1], bStrides: [0, 1, 4], aOffset: 2, bOffset: 0)
        let out = GPUTest.pair(count: plan.count)
        GPUTest.cpu.binary(op, a.cpu, b.cpu, plan: plan, into: out.cpu)
        GPUTest.gpu.binary(op, a.gpu, b.gpu, plan: plan, into: out.gpu)
        #expect(GPUTest.difference(out, count: plan.count) < 1e-6)
    }

    @Test func binaryMatchesOnLongContiguousRows() {
        let a = GPUTest.pair(GPUTest.randomValues(5000, seed: 6)), b = GPUTest.pair(GPUTest.randomValues(5000, seed: 7))
        let plan = BroadcastPlan(shape: [50, 100], aStrides: [100, 1], bStrides: [100, 1], aOffset: 0, bOffset: 0)
        let out = GPUTest.pair(count: plan.count)
        GPUTest.cpu.binary(.mul, a.cpu, b.cpu, plan: plan, into: out.cpu)
        GPUTest.gpu.binary(.mul, a.gpu, b.gpu, plan: plan, into: out.gpu)
        #expect(GPUTest.difference(out, count: plan.count) == 0)
    }
}
