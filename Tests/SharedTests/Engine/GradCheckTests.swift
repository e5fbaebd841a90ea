import Testing

@testable import Shared

/// Every differentiable op's backward against central finite differences (`gradCheck`).
@Suite struct GradCheckTests {
    typealias N = GradInputs

    /// Fails the test with `gradCheck`'s findings, the first few of them.
    func expectGradients(
        _ label: String, _ inputs: [Tensor], eps: Float = 1e-2, rtol: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor
    ) {
        let problems = gradCheck(inputs, eps: eps, rtol: rtol, f)
        #expect(
            problems.isEmpty, "\(label): \(problems.prefix(4).joined(separator: "; "))",
            sourceLocation: sourceLocation)
    }

    @Test func broadcastingArithmetic() {
        // [3, 1, 4] against [2, 1] → [3, 2, 4]: each side repeats along a different axis.
        let shapes: [([Int], [Int])] = [
            ([3, 1, 4], [2, 1]), ([2, 1], [3, 1, 4]), ([2, 3], [2, 3]), ([2, 3], []), ([], [2, 3])
        ]
        for (sa, sb) in shapes {
            expectGradients("add \(sa) \(sb)", [N.normal(sa, seed: 1), N.normal(sb, seed: 2)]) { $0[0] + $0[1] }
            expectGradients("sub \(sa) \(sb)", [N.normal(sa, seed: 3), N.normal(sb, seed: 4)]) { $0[0] - $0[1] }
            expectGradients("mul \(sa) \(sb)", [N.normal(sa, seed: 5), N.normal(sb, seed: 6)]) { $0[0] * $0[1] }
            expectGradients("div \(sa) \(sb)", [N.normal(sa, seed: 7), N.uniform(sb, 1, 2, seed: 8)]) { $0[0] / $0[1] }
        }
        // One tensor on both sides: its two gradient contributions must add up.
        expectGradients("x * x", [N.normal([2, 3], seed: 9)]) { $0[0] * $0[0] }
        expectGradients("x.t() * x broadcast", [N.normal([3, 3], seed: 10)]) {
            $0[0].t() * $0[0] + $0[0].sum(axes: [1], keepDim: true)
        }
    }

    @Test func scalarArithmetic() {
        let x = N.uniform([2, 3], 0.5, 2, seed: 11)
        expectGradients("x + s", [x]) { $0[0] + 2 }
        expectGradients("s + x", [x]) { 2 + $0[0] }
        expectGradients("x - s", [x]) { $0[0] - 2 }
        expectGradients("s - x", [x]) { 2 - $0[0] }
        expectGradients("x * s", [x]) { $0[0] * 3 }
        expectGradients("s * x", [x]) { 3 * $0[0] }
        expectGradients("x / s", [x]) { $0[0] / 4 }
        expectGradients("s / x", [x]) { 4 / $0[0] }
        expectGradients("-x", [x]) { -$0[0] }
        expectGradients("affine", [x]) { $0[0].affine(scale: -1.5, shift: 0.25) }
    }

    @Test func unaryFunctions() {
        expectGradients("exp", [N.normal([2, 5], seed: 12)]) { $0[0].exp() }
        expectGradients("log", [N.uniform([2, 5], 0.5, 3, seed: 13)]) { $0[0].log() }
        expectGradients("relu", [N.awayFromZero([2, 5], seed: 14)]) { $0[0].relu() }
        expectGradients("sqrt", [N.uniform([2, 5], 0.5, 3, seed: 15)]) { $0[0].sqrt() }
        for p: Float in [2, 3, 0.5, -1] {
            expectGradients("pow \(p)", [N.uniform([2, 5], 0.5, 2, seed: 16)]) { $0[0].pow(p) }
        }
        expectGradients("abs", [N.awayFromZero([2, 5], seed: 17)]) { $0[0].abs() }
        expectGradients("free functions", [N.uniform([2, 5], 0.5, 2, seed: 18)]) {
            Shared.relu(Shared.log(Shared.exp($0[0])))
        }
    }

    @Test func sumMeanStd() {
        let x = N.normal([3, 4, 5], seed: 19)
        let axesCases: [[Int]] = [[0], [1], [2], [-1], [0, 1], [1, 2], [0, 2], [0, 1, 2], []]
        for axes in axesCases {
            for keep in [false, true] {
                expectGradients("sum \(axes) keep \(keep)", [x]) { $0[0].sum(axes: axes, keepDim: keep) }
                expectGradients("mean \(axes) keep \(keep)", [x]) { $0[0].mean(axes: axes, keepDim: keep) }
                expectGradients("std \(axes) keep \(keep)", [x]) { $0[0].std(axes: axes, keepDim: keep) }
            }
        }
        expectGradients("sum(0, 2) variadic", [x]) { $0[0].sum(0, 2) }
        expectGradients("sum of a permuted view", [x]) { $0[0].permute(2, 0, 1).sum(axes: [1]) }
    }

    @Test func maxAndLogsumexp() {
        let x = N.distinct([3, 4, 5], seed: 20)
        for axis in [0, 1, 2, -1] {
            for keep in [false, true] {
                expectGradients("max axis \(axis) keep \(keep)", [x]) { $0[0].max(axis: axis, keepDim: keep).values }
            }
        }
        expectGradients("max of all", [x]) { $0[0].max() }
        let y = N.normal([3, 4, 5], seed: 21)
        for axis in [0, 1, 2, -1] {
            expectGradients("logsumexp axis \(axis)", [y]) { $0[0].logsumexp(axis: axis) }
            expectGradients("logsumexp axis \(axis) keep", [y]) { $0[0].logsumexp(axis: axis, keepDim: true) }
        }
        expectGradients("log_softmax", [y]) { $0[0] - $0[0].logsumexp(axis: -1, keepDim: true) }
    }

    @Test func viewsAndShapes() {
        let x = N.normal([2, 3, 4], seed: 22)
        expectGradients("reshape", [x]) { $0[0].reshape([6, 4]) }
        expectGradients("reshape -1", [x]) { $0[0].reshape([4, -1]) }
        expectGradients("view", [x]) { $0[0].view(3, 8) }
        expectGradients("flatten", [x]) { $0[0].flatten() }
        expectGradients("permute", [x]) { $0[0].permute(2, 0, 1) }
        expectGradients("permute negative", [x]) { $0[0].permute([-1, 0, 1]) }
        expectGradients("transpose", [x]) { $0[0].transpose(0, 2) }
        expectGradients("t()", [N.normal([3, 5], seed: 23)]) { $0[0].t() }
        expectGradients("unsqueeze", [x]) { $0[0].unsqueeze(1) }
        expectGradients("unsqueeze -1", [x]) { $0[0].unsqueeze(-1) }
        expectGradients("squeeze", [N.normal([2, 1, 3, 1], seed: 24)]) { $0[0].squeeze() }
        expectGradients("squeeze axis", [N.normal([2, 1, 3, 1], seed: 25)]) { $0[0].squeeze(1) }
        expectGradients("contiguous of permuted", [x]) { $0[0].permute(1, 2, 0).contiguous() }
        expectGradients("copy", [x]) { $0[0].copy() }
        expectGradients("reshape of permuted", [x]) { $0[0].permute(1, 0, 2).reshape([3, 8]) }
        expectGradients("expand", [N.normal([3, 1], seed: 26)]) { $0[0].expand([2, 3, 4]) }
        expectGradients("expand then mul", [N.normal([1, 4], seed: 27)]) { $0[0].expand([3, 4]) * $0[0].expand([3, 4]) }
    }

    @Test func indexingAndStacking() {
        let x = N.normal([4, 3, 2], seed: 28)
        expectGradients("x[1]", [x]) { $0[0][1] }
        expectGradients("x[-1]", [x]) { $0[0][-1] }
        expectGradients("x[2][1]", [x]) { $0[0][2][1] }
        expectGradients("rows of a transposed view", [N.normal([3, 4], seed: 29)]) { $0[0].t()[2] }
        expectGradients("x[0] + x[3]", [x]) { $0[0][0] + $0[0][3] }
        let a = N.normal([2, 3], seed: 30), b = N.normal([2, 3], seed: 31), c = N.normal([2, 3], seed: 32)
        expectGradients("stack", [a, b, c]) { Tensor.stack($0) }
        expectGradients("stack axis 1", [a, b, c]) { Tensor.stack($0, axis: 1) }
        expectGradients("stack axis -1", [a, b, c]) { Tensor.stack($0, axis: -1) }
        expectGradients("stack of views", [N.normal([3, 3], seed: 53)]) {
            Tensor.stack([$0[0][0], $0[0][1], $0[0].t()[2]])
        }
        let m = N.normal([4, 5], seed: 33)
        // Repeated pairs: their gradients must add up, not overwrite each other.
        expectGradients("x[rows, cols]", [m]) { $0[0][[0, 1, 2, 3, 1, 1], [4, 0, 2, 2, 3, 3]] }
        expectGradients("x[rows, cols] tensors", [m]) { $0[0][Tensor([3, 2, 0]), Tensor([1, 1, 0])] }
        expectGradients("x[rows, cols] of transposed", [m]) { $0[0].t()[[0, 4], [3, 1]] }
    }

    @Test func matmul() {
        let a = N.normal([3, 4], seed: 34), b = N.normal([4, 2], seed: 35)
        expectGradients("a @ b", [a, b]) { $0[0].matmul($0[1]) }
        let at = N.normal([4, 3], seed: 36), bt = N.normal([2, 4], seed: 37)
        expectGradients("aᵀ @ b", [at, b]) { $0[0].t().matmul($0[1]) }
        expectGradients("a @ bᵀ", [a, bt]) { $0[0].matmul($0[1].t()) }
        expectGradients("aᵀ @ bᵀ", [at, bt]) { $0[0].t().matmul($0[1].t()) }
        expectGradients("a @ a.t()", [a]) { $0[0].matmul($0[0].t()) }
        // A row-sliced view (offset, leading dimension > columns) and a non-gemmable permuted view.
        let big = N.normal([3, 3, 4], seed: 38)
        expectGradients("x[1] @ b", [big, b]) { $0[0][1].matmul($0[1]) }
        expectGradients("permuted view @ b", [big, b]) { $0[0].permute(1, 0, 2)[2].t().t().matmul($0[1]) }
        expectGradients("vector-shaped", [N.normal([1, 4], seed: 39), N.normal([4, 1], seed: 40)]) {
            $0[0].matmul($0[1])
        }
        expectGradients("linear", [N.normal([5, 4], seed: 41), N.normal([3, 4], seed: 42), N.normal([3], seed: 43)]) {
            $0[0].matmul($0[1].t()) + $0[2]
        }
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1)])
    func conv2d(_ geometry: (stride: Int, padding: Int)) {
        let x = N.normal([2, 2, 5, 5], seed: 44), w = N.normal([3, 2, 3, 3], seed: 45), b = N.normal([3], seed: 46)
        let (s, p) = geometry
        expectGradients("conv2d s\(s) p\(p) bias", [x, w, b]) {
            Shared.conv2d($0[0], $0[1], $0[2], stride: s, padding: p)
        }
        expectGradients("conv2d s\(s) p\(p) no bias", [x, w]) { Shared.conv2d($0[0], $0[1], stride: s, padding: p) }
        // Non-square kernels (the 3-wide one and the general path) on an input whose size does not
        // divide by the stride.
        let x2 = N.normal([1, 2, 6, 5], seed: 47)
        for (kh, kw) in [(2, 3), (3, 2)] {
            let w2 = N.normal([2, 2, kh, kw], seed: 48)
            expectGradients("conv2d s\(s) p\(p) \(kh)×\(kw) kernel", [x2, w2]) {
                Shared.conv2d($0[0], $0[1], stride: s, padding: p)
            }
        }
    }

    @Test func convNetComposite() {
        // conv → relu → mean pool → linear → log-softmax cross entropy: the chapter's whole loss.
        let x = N.normal([2, 2, 6, 6], seed: 49), w = N.normal([3, 2, 3, 3], seed: 50)
        let lw = N.normal([4, 3], seed: 51), lb = N.normal([4], seed: 52)
        expectGradients("simple cnn loss", [x, w, lw, lb], eps: 5e-3) { t in
            let h = Shared.conv2d(t[0], t[1], stride: 2, padding: 1).relu().mean(2, 3)
            let logits = h.matmul(t[2].t()) + t[3]
            let logSoftmax = logits - logits.logsumexp(axis: 1, keepDim: true)
            return -logSoftmax[[0, 1], [3, 0]].mean()
        }
    }
}
