import Testing

@testable import Engine
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

/// A class index outside the logits on the GPU stops with the CPU's error, instead of the NaN loss the
/// kernel alone would give. Each case runs in a child process (Swift Testing exit tests), which finds
/// the OpenCL device for itself.
@Suite(.enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLIndexRangeTests {
    static func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    static let message = "error: x[rows, cols]: index (1, 10) is out of range for shape [2, 10]"

    @Test func aLabelPastTheLastClassStopsLikeTheCPU() async {
        let gpu = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            precondition(enableGPU(), "no OpenCL device in the child process")
            let logits = Tensor.zeros([2, 10]).to(.gpu).requiringGrad()
            _ = crossEntropy(logits, Tensor([3, 10], shape: [2], device: .gpu)).item()
        }
        let cpu = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let logits = Tensor.zeros([2, 10]).requiringGrad()
            _ = crossEntropy(logits, Tensor([3, 10], shape: [2])).item()
        }
        #expect(Self.stderrText(gpu).contains(Self.message), "\(Self.stderrText(gpu))")
        #expect(Self.stderrText(cpu).contains(Self.message), "\(Self.stderrText(cpu))")
    }

    @Test func aNegativeLabelStopsToo() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            precondition(enableGPU(), "no OpenCL device in the child process")
            _ = nll(Tensor.zeros([2, 10]).to(.gpu), Tensor([-1, 0], shape: [2], device: .gpu)).item()
        }
        #expect(
            Self.stderrText(result).contains("error: x[rows, cols]: index (0, -1) is out of range for shape [2, 10]"))
    }

    @Test func labelsInRangeGiveTheCPUsLoss() {
        let logits = Tensor((0..<20).map { Float($0) / 7 }, shape: [2, 10])
        let labels = Tensor([9, 0], shape: [2])
        let cpu = crossEntropy(logits, labels).item()
        let gpu = crossEntropy(logits.to(.gpu), labels.to(.gpu)).item()
        #expect(gpu.isFinite && abs(gpu - cpu) < 1e-5)
    }
}
