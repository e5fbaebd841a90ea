import Foundation

/// fastai's default optimiser, Adam: each weight steps by its running mean gradient over the root of
/// its running mean square, arranged as `torch.optim.Adam` so the two agree to rounding:
///
///     p = p · (1 − lr · wd)                          when `decoupled` (AdamW, fastai's default)
///     g = g + wd · p                                 when not (PyTorch's `Adam(weight_decay:)`)
///     m = β1 · m + (1 − β1) · g
///     v = β2 · v + (1 − β2) · g²
///     p = p − lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
public final class Adam: Optimizer, HasMomentum {
    public let params: [Parameter]
    public var lr: Float
    /// Decay of the running average of gradients (`betas[0]` in PyTorch, `mom` in fastai).
    public var beta1: Float
    /// Decay of the running average of squared gradients (`betas[1]`, fastai's `sqr_mom`).
    public var beta2: Float
    /// Added to the denominator so that a weight whose gradients are all zero does not divide by 0.
    public var eps: Float
    /// Weight decay: how strongly each step pulls weights towards zero.
    public var wd: Float
    /// Whether weight decay shrinks the weights directly (AdamW) rather than joining the gradient.
    public let decoupled: Bool
    /// The number of steps taken so far (`t` in the formulas).
    public private(set) var stepCount = 0
    /// Each parameter's running averages of gradients and squared gradients, nil until its first step.
    public private(set) var moments: [(avg: Tensor, sqrAvg: Tensor)?]

    /// An optimiser for `params`; the defaults are PyTorch's (`betas = (0.9, 0.999)`, `eps = 1e-8`,
    /// no weight decay).
    public init(
        _ params: [Parameter], lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8,
        wd: Float = 0, decoupled: Bool = false
    ) {
        self.params = params
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.wd = wd
        self.decoupled = decoupled
        moments = Array(repeating: nil, count: params.count)
    }

    /// AdamW: Adam with decoupled weight decay; the default decay is PyTorch's `AdamW`'s, 0.01.
    public static func adamW(
        _ params: [Parameter], lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8,
        wd: Float = 0.01
    ) -> Adam {
        Adam(params, lr: lr, beta1: beta1, beta2: beta2, eps: eps, wd: wd, decoupled: true)
    }

    /// `β1` under the name schedules use for it.
    public var mom: Float {
        get { beta1 }
        set { beta1 = newValue }
    }

    public func step() {
        stepCount += 1
        let t = Float(stepCount)
        let debias1 = 1 - Foundation.pow(beta1, t), debias2 = 1 - Foundation.pow(beta2, t)
        // As in SGD, the update is not part of the model's computation: it runs outside the graph,
        // writing the new numbers into the parameters and the moments in place.
        noGrad {
            for (i, p) in params.enumerated() {
                guard let grad = p.grad else { continue }
                var g: Tensor = grad
                if wd != 0 {
                    if decoupled { p.assign(p * (1 - lr * wd)) } else { g = g + p * wd }
                }
                let (avg, sqrAvg) = moments(of: i)
                avg.assign(avg * beta1 + g * (1 - beta1))
                sqrAvg.assign(sqrAvg * beta2 + g * g * (1 - beta2))
                let denominator = sqrAvg.sqrt() / debias2.squareRoot() + eps
                p.addInPlace(avg / denominator, alpha: -lr / debias1)
                grad.zero()
            }
        }
    }

    /// Parameter `i`'s moments: zeros on its first step, and on the parameter's device (a callback
    /// may have moved the model since).
    private func moments(of i: Int) -> (avg: Tensor, sqrAvg: Tensor) {
        let p = params[i]
        if let state = moments[i] {
            if state.avg.device != p.device {
                state.avg.moveStorage(to: p.device)
                state.sqrAvg.moveStorage(to: p.device)
            }
            return state
        }
        let state = (avg: Tensor.zeros(p.shape, device: p.device), sqrAvg: Tensor.zeros(p.shape, device: p.device))
        moments[i] = state
        return state
    }
}
