import Shared

/// GPU-against-CPU checks through the tensor API: each runs the same computation on `.cpu` and on
/// `.gpu` and compares every output and gradient.
enum Parity {
    /// One check's outcome.
    struct Result {
        let name: String
        let difference: Float
        let tolerance: Float
        var passed: Bool { difference <= tolerance }
    }

    /// Largest |a − b| over the largest |a| (at least 1); NaN anywhere fails.
    static func difference(_ a: Tensor, _ b: Tensor) -> Float {
        let x = a.toArray(), y = b.toArray()
        guard x.count == y.count, a.shape == b.shape else { return .infinity }
        var scale: Float = 1, worst: Float = 0
        for v in x { scale = max(scale, abs(v)) }
        for (p, q) in zip(x, y) {
            if p.isNaN || q.isNaN { return .infinity }
            worst = max(worst, abs(p - q))
        }
        return worst / scale
    }

    /// Runs `body` on both devices with the same seeded inputs and compares the tensors it returns.
    static func check(_ name: String, tolerance: Float = 1e-4, _ body: (Device) -> [Tensor]) -> Result {
        let cpu = body(.cpu), gpu = body(.gpu)
        var worst: Float = 0
        for (c, g) in zip(cpu, gpu) {
            if g.device != .gpu { worst = .infinity }
            worst = max(worst, difference(c, g))
        }
        if cpu.count != gpu.count { worst = .infinity }
        return Result(name: name, difference: worst, tolerance: tolerance)
    }

    /// A seeded normal tensor on `device` that requires grad.
    static func leaf(_ shape: [Int], seed: UInt64, on device: Device, scale: Float = 1) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return (Tensor.randn(shape, using: &g) * scale).to(device).detach().requiringGrad()
    }

    /// Every check, over all the primitives the engine uses.
    static func all() -> [Result] {
        [
            check("matmul, both transposes, backward") { d in
                let a = leaf([67, 45], seed: 1, on: d), b = leaf([45, 33], seed: 2, on: d)
                let c = leaf([33, 70], seed: 3, on: d)
                let y = a.matmul(b).matmul(c) + a.t().t().matmul(b)[0].sum()
                let l = (y * y).mean()
                l.backward()
                return [y, l, a.grad!, b.grad!, c.grad!]
            },
            check("conv2d forward and backward (stride 2, pad 1)") { d in
                let x = leaf([4, 3, 17, 15], seed: 4, on: d), w = leaf([8, 3, 3, 3], seed: 5, on: d, scale: 0.3)
                let b = leaf([8], seed: 6, on: d)
                let y = conv2d(x, w, b, stride: 2, padding: 1)
                let l = (y.relu() * y).sum()
                l.backward()
                return [y, l, x.grad!, w.grad!, b.grad!]
            },
            check("reductions: sum, mean, std, max with indices, logsumexp") { d in
                let x = leaf([6, 37, 130], seed: 7, on: d)
                let (m, i) = x.max(axis: 1)
                let l = x.sum(axes: [0, 2]).sum() + x.std(2).mean() + m.sum() + x.logsumexp(axis: 2).mean()
                l.backward()
                return [x.sum(axes: [1]), x.mean(0, 2), m, i, x.logsumexp(axis: 0), l, x.grad!]
            },
            check("elementwise and broadcasting") { d in
                let a = leaf([5, 1, 40], seed: 8, on: d), b = leaf([7, 40], seed: 9, on: d)
                let y =
                    ((a * b - b / (a.abs() + 1)).exp() + (a * a).sqrt().log()).pow(2) + (a > b)
                    + (a.permute(2, 1, 0).permute(2, 1, 0) == a)
                let l = y.mean()
                l.backward()
                return [y, l, a.grad!, b.grad!]
            },
            check("indexing: nll's gather and its scatter") { d in
                let x = leaf([32, 10], seed: 10, on: d)
                let rows = Tensor.arange(32, device: d), cols = Tensor((0..<32).map { Float(($0 * 7) % 10) }, device: d)
                let l = -x[rows, cols].mean()
                l.backward()
                return [l, x.grad!]
            },
            check("simpleCNN: loss, gradients, and the parameters after two SGD steps", tolerance: 2e-4) { d in
                let model = SimpleCNN(seed: 11).to(d)
                let (x, y) = syntheticBatch(batch: 8, side: 32, seed: 12, device: d)
                let l1 = model.trainStep(x, y, lr: 0.1).detach()
                let l2 = model.loss(x, y)
                l2.backward()
                let grads = model.parameters.map { $0.grad!.detach() }
                noGrad {
                    for p in model.parameters {
                        p -= (p.grad! + p * 0.01) * 0.1
                        p.grad!.zero()
                    }
                }
                return [l1, l2] + grads + model.parameters
            }
        ]
    }
}
