import Testing

@testable import Shared

/// The whole engine on `.gpu`: a two-layer convolutional net's forward and backward match the CPU,
/// and a few SGD steps on the GPU lower the loss. Serialized, so that the suite's GPU work does not
/// interleave (grad mode itself is per thread).
@Suite(.serialized, .enabled(if: GPUTest.available, "no OpenCL device"))
struct OpenCLEndToEndTests {
    /// Parameters of a small net: conv 3→4 (stride 2, pad 1), relu, conv 4→6, relu, mean over H and W,
    /// linear 6→5.
    struct Net {
        var w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, w3: Tensor, b3: Tensor
        var all: [Tensor] { [w1, b1, w2, b2, w3, b3] }

        init(seed: UInt64) {
            var g = SeededGenerator(seed: seed)
            w1 = (Tensor.randn([4, 3, 3, 3], using: &g) * 0.3).detach().requiringGrad()
            b1 = (Tensor.randn([4], using: &g) * 0.1).detach().requiringGrad()
            w2 = (Tensor.randn([6, 4, 3, 3], using: &g) * 0.3).detach().requiringGrad()
            b2 = (Tensor.randn([6], using: &g) * 0.1).detach().requiringGrad()
            w3 = (Tensor.randn([5, 6], using: &g) * 0.5).detach().requiringGrad()
            b3 = Tensor.zeros([5]).requiringGrad()
        }

        /// The same parameters as new leaves on `device`.
        func to(_ device: Device) -> Net {
            var copy = self
            copy.w1 = w1.to(device).detach().requiringGrad()
            copy.b1 = b1.to(device).detach().requiringGrad()
            copy.w2 = w2.to(device).detach().requiringGrad()
            copy.b2 = b2.to(device).detach().requiringGrad()
            copy.w3 = w3.to(device).detach().requiringGrad()
            copy.b3 = b3.to(device).detach().requiringGrad()
            return copy
        }

        /// Cross entropy of the net's logits for `x` [N, 3, H, W] against `y` (class numbers) [N].
        func loss(_ x: Tensor, _ y: Tensor) -> Tensor {
            let h1 = conv2d(x, w1, b1, stride: 2, padding: 1).relu()
            let h2 = conv2d(h1, w2, b2, stride: 2, padding: 1).relu()
            let logits = h2.mean(2, 3).matmul(w3.t()) + b3
            let logProbs = logits - logits.logsumexp(axis: 1, keepDim: true)
            let n = x.shape[0]
            return -logProbs[Tensor.arange(n, device: x.device), y].mean()
        }
    }

    static func batch(device: Device) -> (Tensor, Tensor) {
        var g = SeededGenerator(seed: 21)
        let x = Tensor.randn([6, 3, 10, 10], using: &g).to(device)
        let y = Tensor([0, 1, 2, 3, 4, 1], device: device)
        return (x, y)
    }

    @Test func convNetForwardAndBackwardMatchTheCPU() {
        let cpuNet = Net(seed: 20), gpuNet = cpuNet.to(.gpu)
        let (xc, yc) = Self.batch(device: .cpu), (xg, yg) = Self.batch(device: .gpu)
        let lossCPU = cpuNet.loss(xc, yc), lossGPU = gpuNet.loss(xg, yg)
        #expect(lossGPU.device == .gpu)
        #expect(abs(lossCPU.item() - lossGPU.item()) < 1e-4)
        lossCPU.backward()
        lossGPU.backward()
        for (c, g) in zip(cpuNet.all, gpuNet.all) {
            #expect(g.grad!.device == .gpu)
            #expect(
                GPUTest.difference(c.grad!.toArray(), g.grad!.toArray()) < 1e-4, "gradient of a \(c.shape) parameter")
        }
    }

    @Test func sgdOnTheGPULowersTheLoss() {
        let net = Net(seed: 22).to(.gpu)
        let (x, y) = Self.batch(device: .gpu)
        var losses: [Float] = []
        for _ in 0..<5 {
            let loss = net.loss(x, y)
            losses.append(loss.item())
            loss.backward()
            noGrad {
                for p in net.all {
                    p -= p.grad! * 0.5
                    p.grad!.zero()
                }
            }
        }
        #expect(losses.last! < losses.first! - 0.01, "losses \(losses)")
    }
}
