import ExerciseSupport
import Shared
import Testing

@testable import ExerciseR2

@Suite("Exercise R2: batchnorm from scratch", .exercise("R2"))
struct ExerciseR2Tests {
    /// Per-channel mean and biased and unbiased variance of x [N, C, H, W], by plain loops.
    func channelStats(_ x: Tensor) -> (mean: [Float], biased: [Float], unbiased: [Float]) {
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let v = x.contiguous().toArray()
        var mean = [Float](), biased = [Float](), unbiased = [Float]()
        for ch in 0..<c {
            var values = [Float]()
            for i in 0..<n { values += v[(i * c + ch) * hw..<(i * c + ch + 1) * hw] }
            let m = values.reduce(0, +) / Float(values.count)
            let ss = values.map { ($0 - m) * ($0 - m) }.reduce(0, +)
            mean.append(m)
            biased.append(ss / Float(values.count))
            unbiased.append(ss / Float(values.count - 1))
        }
        return (mean, biased, unbiased)
    }

    /// `(x − mean[c]) / √(var[c] + eps) · w[c] + b[c]` element by element.
    func normalise(_ x: Tensor, mean: [Float], variance: [Float], w: [Float], b: [Float], eps: Float = 1e-5) -> Tensor {
        let (c, hw) = (x.shape[1], x.shape[2] * x.shape[3])
        let v = x.contiguous().toArray()
        let out = v.indices.map { k -> Float in
            let ch = (k / hw) % c
            return (v[k] - mean[ch]) / (variance[ch] + eps).squareRoot() * w[ch] + b[ch]
        }
        return Tensor(out, shape: x.shape)
    }

    /// A batchnorm of 3 channels with weight and bias other than 1 and 0, and an input whose channels
    /// have different means and scales.
    func setup() -> (BatchNorm, Tensor) {
        GlobalRandom.manualSeed(4)
        let bn = BatchNorm(3)
        bn.weight.assign(Tensor([0.5, 2, -1], shape: [3]))
        bn.bias.assign(Tensor([0.1, -0.3, 2], shape: [3]))
        let x =
            Tensor.randn([4, 3, 5, 5]) * Tensor([1, 3, 0.5], shape: [1, 3, 1, 1])
            + Tensor([2, -1, 0], shape: [1, 3, 1, 1])
        return (bn, x)
    }

    @Test func trainingNormalisesWithTheBatchStatistics() throws {
        let (bn, x) = setup()
        bn.training = true
        let out = try answer { bn(x) }
        let s = channelStats(x)
        #expect(close(out, normalise(x, mean: s.mean, variance: s.biased, w: [0.5, 2, -1], b: [0.1, -0.3, 2]), 1e-4))
    }

    @Test func trainingMovesTheRunningStatistics() throws {
        let (bn, x) = setup()
        bn.training = true
        _ = try answer { bn(x) }
        let s = channelStats(x)
        #expect(close(bn.runningMean, Tensor(s.mean.map { 0.1 * $0 }, shape: [3]), 1e-5))
        #expect(close(bn.runningVar, Tensor(s.unbiased.map { 0.9 + 0.1 * $0 }, shape: [3]), 1e-4))
        _ = try answer { bn(x) }
        #expect(close(bn.runningMean, Tensor(s.mean.map { 0.19 * $0 }, shape: [3]), 1e-5))
    }

    @Test func evaluationUsesTheRunningStatisticsAndKeepsThem() throws {
        let (bn, x) = setup()
        bn.runningMean.assign(Tensor([1, -2, 0.5], shape: [3]))
        bn.runningVar.assign(Tensor([4, 0.25, 1], shape: [3]))
        bn.training = false
        let out = try answer { bn(x) }
        #expect(
            close(
                out, normalise(x, mean: [1, -2, 0.5], variance: [4, 0.25, 1], w: [0.5, 2, -1], b: [0.1, -0.3, 2]), 1e-4)
        )
        #expect(bn.runningMean.toArray() == [1, -2, 0.5])
        #expect(bn.runningVar.toArray() == [4, 0.25, 1])
    }

    @Test func gradientsReachWeightBiasAndInput() throws {
        let (bn, x) = setup()
        let input = Parameter(x)
        bn.training = true
        GlobalRandom.manualSeed(5)
        let g = Tensor.randn([4, 3, 5, 5])
        try answer { (bn(input) * g).sum().backward() }
        // d/dbias = Σ g over N, H, W; d/dweight = Σ g · x̂, with x̂ the unscaled normalised input.
        let s = channelStats(x)
        let xHat = normalise(x, mean: s.mean, variance: s.biased, w: [1, 1, 1], b: [0, 0, 0])
        #expect(close(try #require(bn.bias.grad), g.sum(0, 2, 3), 1e-3))
        #expect(close(try #require(bn.weight.grad), (g * xHat).sum(0, 2, 3), 1e-3))
        // Shifting every value of a channel does not change a batchnorm's output: the input's
        // gradient sums to zero over each channel.
        let dx = try #require(input.grad)
        #expect(dx.sum(0, 2, 3).toArray().allSatisfy { Swift.abs($0) < 1e-3 })
    }

    @Test func onlyWeightAndBiasAreParameters() throws {
        let bn = BatchNorm(8)
        #expect(bn.parameters().count == 2)
        #expect(bn.parameters().allSatisfy { $0.shape == [8] })
        #expect(bn.runningMean.toArray() == [Float](repeating: 0, count: 8))
        #expect(bn.runningVar.toArray() == [Float](repeating: 1, count: 8))
    }
}
