import ExerciseSupport
import Shared

// Further research 4. Add momentum to SGD.
//
// Plain SGD steps along the current gradient only. With momentum, each parameter keeps a velocity, a
// running sum of past gradients that decays by `momentum` each step, and steps along that instead:
// noisy gradients that disagree cancel out, and ones that agree add up to a faster pace.

/// Stochastic gradient descent with momentum and weight decay, in PyTorch's form. For every
/// parameter `p` with a gradient, one `step()` does
///
///     g = p.grad + wd · p
///     v = g                   on the first step,
///     v = momentum · v + g    on every later one,
///     p = p − lr · v
///
/// and then zeroes `p.grad`, as the workbook's `SGD` does. With `momentum` 0 it is that `SGD`.
/// The update happens outside the graph (`noGrad`), in place (`addInPlace`, `assign`, `zero`).
public final class MomentumSGD: Optimizer {
    public let params: [Parameter]
    public var lr: Float
    /// How much of the velocity survives each step (0.9 is the usual choice).
    public var momentum: Float
    /// Weight decay: how strongly each step pulls weights towards zero.
    public var wd: Float
    /// The velocity of each parameter (same shape), nil until its first step.
    public private(set) var velocities: [Tensor?]

    public init(_ params: [Parameter], lr: Float, momentum: Float = 0.9, wd: Float = 0) {
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.wd = wd
        velocities = Array(repeating: nil, count: params.count)
    }

    public func step() {
        // MARK: - Answer
        todo(
            "inside noGrad, for each parameter with a gradient: g = grad + wd * p; velocity = g the first time (a copy), else velocity.assign(velocity * momentum + g); p.addInPlace(velocity, alpha: -lr); grad.zero()."
        )
        // MARK: - End of answer
    }
}
