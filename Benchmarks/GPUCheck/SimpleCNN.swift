import Shared

/// The chapter's simple CNN written with raw engine ops (no Module classes), so GPUCheck needs only
/// the engine: 3×3 convolutions 3→16→32→64→128, each stride 2, padding 1, with bias and relu; the mean
/// over H and W; a linear layer 128→classes; cross entropy through logsumexp; an SGD step.
struct SimpleCNN {
    /// [weight, bias] per convolution, then the linear layer's weight [classes, 128] and bias.
    var parameters: [Tensor]
    static let channels = [3, 16, 32, 64, 128]

    init(classes: Int = 10, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        var p: [Tensor] = []
        for (cin, cout) in zip(Self.channels, Self.channels.dropFirst()) {
            // Kaiming-normal scale for relu: std = sqrt(2 / fan_in).
            let std = (2 / Float(cin * 9)).squareRoot()
            p.append((Tensor.randn([cout, cin, 3, 3], using: &g) * std).detach().requiringGrad())
            p.append(Tensor.zeros([cout]).requiringGrad())
        }
        let last = Self.channels.last!
        p.append((Tensor.randn([classes, last], using: &g) * (1 / Float(last)).squareRoot()).detach().requiringGrad())
        p.append(Tensor.zeros([classes]).requiringGrad())
        parameters = p
    }

    /// The same parameters, as new leaves on `device`.
    func to(_ device: Device) -> SimpleCNN {
        var copy = self
        copy.parameters = parameters.map { $0.to(device).detach().requiringGrad() }
        return copy
    }

    /// Logits [N, classes] for images x [N, 3, H, W].
    func logits(_ x: Tensor) -> Tensor {
        var h = x
        for layer in 0..<(Self.channels.count - 1) {
            h = conv2d(h, parameters[2 * layer], parameters[2 * layer + 1], stride: 2, padding: 1).relu()
        }
        let pooled = h.mean(2, 3)
        let count = parameters.count
        return pooled.matmul(parameters[count - 2].t()) + parameters[count - 1]
    }

    /// Mean cross entropy of the logits against labels y (class numbers as floats) [N].
    func loss(_ x: Tensor, _ y: Tensor) -> Tensor {
        let z = logits(x)
        let logProbs = z - z.logsumexp(axis: 1, keepDim: true)
        return -logProbs[Tensor.arange(x.shape[0], device: x.device), y].mean()
    }

    /// One training step: forward, backward, and the chapter's SGD update (`p -= grad · lr`, then the
    /// gradient zeroed) for every parameter. Returns the loss tensor (not read back, so timing does not
    /// wait on it).
    @discardableResult
    func trainStep(_ x: Tensor, _ y: Tensor, lr: Float) -> Tensor {
        let l = loss(x, y)
        l.backward()
        noGrad {
            for p in parameters {
                p -= p.grad! * lr
                p.grad!.zero()
            }
        }
        return l
    }
}

/// A seeded batch: images [batch, 3, side, side] and labels [batch] on `device`.
func syntheticBatch(batch: Int, side: Int, classes: Int = 10, seed: UInt64, device: Device) -> (Tensor, Tensor) {
    var g = SeededGenerator(seed: seed)
    let x = Tensor.randn([batch, 3, side, side], using: &g)
    let y = Tensor((0..<batch).map { _ in Float(Int(g.nextUniform() * Float(classes)) % classes) })
    return (x.to(device), y.to(device))
}
