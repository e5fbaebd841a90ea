/// What the learner needs from an optimiser: a settable rate and a step (a protocol, so an exercise's
/// optimiser inherits nothing).
public protocol Optimizer: AnyObject {
    /// The learning rate of the next step.
    var lr: Float { get set }
    /// The parameters it updates.
    var params: [Parameter] { get }
    /// Updates every parameter from its gradient, then zeroes the gradients.
    func step()
}

/// The chapter's `SGD`, `p -= (p.grad + p · wd) · lr`; its initialiser does what `store_attr()` does.
public final class SGD: Optimizer {
    public let params: [Parameter]
    public var lr: Float
    /// Weight decay: how strongly each step pulls weights towards zero.
    public var wd: Float

    public init(_ params: [Parameter], lr: Float, wd: Float = 0) {
        self.params = params
        self.lr = lr
        self.wd = wd
    }

    public func step() {
        // The update is not part of the model's computation: `noGrad` keeps it out of the graph (the
        // chapter writes to `p.data` for the same reason), and `-=` and `zero()` change the numbers in
        // place, so the model keeps the same parameter objects.
        noGrad {
            for p in params {
                guard let grad = p.grad else { continue }
                p -= (grad + p * wd) * lr
                grad.zero()
            }
        }
    }
}
