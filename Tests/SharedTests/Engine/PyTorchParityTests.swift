import Testing

@testable import Engine
@testable import Shared

/// The engine against PyTorch 1.13 on the same numbers (`Tests/SharedTests/Fixtures/make_fixtures.py`):
/// outputs and the gradients of `sum(output · upstream)` within 1e-4 relative.
@Suite struct PyTorchParityTests {
    /// Feeds `name`'s inputs through `forward`, compares every output it returns, back-propagates
    /// the stored upstream gradient and compares every input's gradient.
    func check(
        _ name: String, rtol: Float = 1e-4, atol: Float = 1e-5,
        _ forward: (_ c: EngineFixtures.Case, _ inputs: [String: Tensor]) -> [String: Tensor]
    ) {
        let c = EngineFixtures.case(name)
        let inputs = c.inputs.mapValues { $0.tensor(requiresGrad: true) }
        let outputs = forward(c, inputs)
        for (key, expected) in c.outputs {
            guard let actual = outputs[key] else {
                Issue.record("\(name): no output \(key)")
                continue
            }
            if let problem = mismatch(actual, expected, rtol: rtol, atol: atol) {
                Issue.record("\(name) output \(key): \(problem)")
            }
        }
        guard let differentiated = outputs[c.upstreamOf] else {
            Issue.record("\(name): no \(c.upstreamOf)")
            return
        }
        (differentiated * c.upstream.tensor()).sum().backward()
        for (key, expected) in c.grads {
            guard let grad = inputs[key]?.grad else {
                Issue.record("\(name): \(key) got no gradient")
                continue
            }
            if let problem = mismatch(grad, expected, rtol: rtol, atol: atol) {
                Issue.record("\(name) gradient of \(key): \(problem)")
            }
        }
        #expect(
            Set(c.grads.keys) == Set(inputs.filter { $0.value.grad != nil }.keys),
            "\(name): gradients reached other inputs")
    }

    @Test(arguments: [
        "conv2d_s1_p1_bias", "conv2d_s1_p1_nobias", "conv2d_s2_p1_bias",
        "conv2d_s2_p1_nobias", "conv2d_s2_p0_bias", "conv2d_s1_p0_nobias"
    ])
    func conv2d(_ name: String) {
        check(name) { c, t in
            ["out": Shared.conv2d(t["x"]!, t["weight"]!, t["bias"], stride: c.int("stride"), padding: c.int("padding"))]
        }
    }

    @Test func linear() {
        check("linear") { _, t in ["out": t["x"]!.matmul(t["weight"]!.t()) + t["bias"]!] }
    }

    @Test func matmul() {
        check("matmul") { _, t in ["out": t["a"]!.matmul(t["b"]!)] }
    }

    @Test func relu() {
        check("relu") { _, t in ["out": t["x"]!.relu()] }
    }

    @Test func meanOverHeightAndWidth() {
        check("mean_2_3") { _, t in ["out": t["x"]!.mean(2, 3)] }
    }

    @Test func logSoftmax() {
        check("log_softmax") { _, t in ["out": t["x"]! - t["x"]!.logsumexp(axis: -1, keepDim: true)] }
    }

    @Test(arguments: ["logsumexp", "logsumexp_large"])
    func logsumexp(_ name: String) {
        check(name) { _, t in ["out": t["x"]!.logsumexp(axis: -1)] }
    }

    @Test func crossEntropy() {
        check("cross_entropy") { c, t in
            let x = t["x"]!
            let target = c.ints("target")
            let logSoftmax = x - x.logsumexp(axis: -1, keepDim: true)
            return ["loss": -logSoftmax[Array(0..<target.count), target].mean()]
        }
    }

    @Test(arguments: ["sum_1", "sum_0_2", "sum_0_2_keep", "sum_-1_keep", "sum_0_1_2"])
    func sum(_ name: String) {
        check(name) { c, t in ["out": t["x"]!.sum(axes: c.ints("axes"), keepDim: c.bool("keepDim"))] }
    }

    @Test(arguments: ["std_1", "std_0_2_keep", "std_2"])
    func std(_ name: String) {
        check(name) { c, t in ["out": t["x"]!.std(axes: c.ints("axes"), keepDim: c.bool("keepDim"))] }
    }

    @Test(arguments: [0, 1, 2])
    func max(_ axis: Int) {
        check("max_\(axis)") { _, t in
            let (values, indices) = t["x"]!.max(axis: axis)
            return ["values": values, "indices": indices]
        }
    }

    @Test(arguments: ["add", "sub", "mul", "div"])
    func broadcasting(_ op: String) {
        check("broadcast_\(op)") { _, t in
            let a = t["a"]!, b = t["b"]!
            switch op {
            case "add": return ["out": a + b]
            case "sub": return ["out": a - b]
            case "mul": return ["out": a * b]
            default: return ["out": a / b]
            }
        }
    }

    /// Fans as `torch.nn.init` computes them, and the standard deviations our initialisers draw.
    @Test(arguments: ["conv", "linear"])
    func initialisation(_ name: String) {
        let facts = EngineFixtures.shared.`init`[name]!
        let fans = Init.fans(facts.shape)
        #expect(fans.fanIn == facts.fanIn && fans.fanOut == facts.fanOut)
        // 256 output channels: enough numbers (≥ 6912) for the sample std to be within ~2% of the truth.
        let big = [256] + facts.shape.dropFirst()
        var generator = SeededGenerator(seed: 7)
        let kaiming = Tensor.zeros(big).kaimingNormal_(using: &generator)
        let xavierShape = facts.shape  // xavier depends on fan out too, so keep the real shape…
        let xavierSamples = (0..<64).map { _ in Tensor.zeros(xavierShape).xavierNormal_(using: &generator) }
        let xavier = Tensor.stack(xavierSamples)  // …and pool many draws of it
        let kaimingStd = Double(kaiming.std().item()), xavierStd = Double(xavier.std().item())
        #expect(
            Swift.abs(kaimingStd / facts.kaimingStd - 1) < 0.03,
            "kaiming std \(kaimingStd), expected \(facts.kaimingStd)")
        #expect(
            Swift.abs(xavierStd / facts.xavierStd - 1) < 0.03, "xavier std \(xavierStd), expected \(facts.xavierStd)")
        #expect(Swift.abs(kaiming.mean().item()) < Float(facts.kaimingStd) * 0.03)
        // PyTorch's own draw for the same fan in lands within a few % of the same formula.
        #expect(Swift.abs(facts.torchKaimingEmpiricalStd / facts.kaimingStd - 1) < 0.03)
    }
}
