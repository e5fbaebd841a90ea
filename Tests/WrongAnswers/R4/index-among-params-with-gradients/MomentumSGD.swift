// Known-wrong answer to exercise R4: velocities are indexed by the parameter's place among those that have a gradient, so a parameter whose gradient starts later takes another's velocity.
import ExerciseSupport
import Shared

// Further research 4. Add momentum to SGD.
//
// Plain SGD steps along the current gradient only. With momentum, each parameter keeps a velocity
// built from its past gradients and steps along that instead: noisy gradients that disagree cancel
// out, and ones that agree add up to a faster pace. The question asks for PyTorch's form of it,
// which differs from some textbooks' once the learning rate follows a schedule.

/// Stochastic gradient descent with momentum and weight decay, in PyTorch's form: every `step()`
/// moves the parameters exactly as `torch.optim.SGD(params, lr, momentum, weight_decay: wd)` does
/// (no dampening, no Nesterov), reading `lr` afresh at each step because schedulers change it
/// between steps, and then zeroes the gradients, as the workbook's `SGD` does. Parameters without a
/// gradient are left alone. With `momentum` 0 it is the workbook's `SGD`.
///
/// Example: on the loss p²/2 from p = 1, with lr 0.1 and momentum 0.9, p after one, two and three
/// steps is 0.9, 0.72 and 0.486.
public final class MomentumSGD: Optimizer {
    public let params: [Parameter]
    public var lr: Float
    /// How much of the velocity survives each step (0.9 is the usual choice).
    public var momentum: Float
    /// Weight decay: how strongly each step pulls weights towards zero.
    public var wd: Float
    /// What the optimiser remembers about each parameter between steps (PyTorch's momentum
    /// buffers), nil until the parameter's first step.
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
        noGrad {
            for (i, p) in params.filter({ $0.grad != nil }).enumerated() {
                guard let grad = p.grad else { continue }
                let g = wd == 0 ? grad : grad + p * wd
                if let v = velocities[i] {
                    v.assign(v * momentum + g)
                } else {
                    velocities[i] = g.copy()
                }
                p.addInPlace(velocities[i]!, alpha: -lr)
                grad.zero()
            }
        }
        // MARK: - End of answer
    }
}
