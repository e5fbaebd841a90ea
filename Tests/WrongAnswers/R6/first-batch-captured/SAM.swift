// Known-wrong answer to exercise R6: the second pass runs on the batch that was current when the optimiser was wrapped (the first training batch of the fit), not on each batch.
import ExerciseSupport
import Shared

// Further research 6. Implement a paper that fastai and PyTorch do not: Sharpness-Aware Minimization.
//
// SAM (Foret, Kleiner, Mobahi and Neyshabur, "Sharpness-Aware Minimization for Efficiently
// Improving Generalization", ICLR 2021) looks for weights whose whole neighbourhood has a low loss,
// not just a low point: for each batch it finds the worst nearby weights (a step of length ρ up the
// gradient), takes the gradient there, and lets the usual optimiser step from the original weights
// with that gradient. Each training batch costs two forward and backward passes.
//
// Here it hooks into the chapter's Learner in two parts: `SAM`, a callback that wraps the learner's
// optimiser, and `SAMOptimizer`, the wrapper, whose `step()` is where the learner hands over the
// gradient of the first pass.

/// The learner's optimiser, wrapped so that each `step()` is a SAM step.
///
/// When the learner calls `step()`, each parameter's `grad` holds the gradient of the current
/// batch's loss at the current weights w (the learner's own forward and backward pass). When
/// `step()` returns, the parameters hold what `base` made of w in one `step()` taken with the
/// gradient of the same batch's loss at the paper's ε̂-perturbed weights (its equation 2, p = 2,
/// over all parameters together), and the gradients are zero.
///
/// Example: one parameter w = [3, 4], loss ½‖w‖², ρ 0.5, base `SGD(lr: 0.1)`: w becomes [2.67, 3.56]
/// (plain SGD would give [2.7, 3.6]).
public final class SAMOptimizer: Optimizer {
    /// The optimiser that takes the actual steps (the one the learner's `optFunc` made).
    public let base: Optimizer
    /// The radius of the neighbourhood.
    public let rho: Float
    /// Runs the model on the current batch again and returns its loss, with its graph (a forward
    /// pass at whatever the parameters hold when it is called).
    public let lossAgain: () -> Tensor

    public init(base: Optimizer, rho: Float, lossAgain: @escaping () -> Tensor) {
        self.base = base
        self.rho = rho
        self.lossAgain = lossAgain
    }

    /// The base optimiser's: schedulers that set `opt.lr` reach it.
    public var lr: Float {
        get { base.lr }
        set { base.lr = newValue }
    }
    public var params: [Parameter] { base.params }

    public func step() {
        // MARK: - Answer
        let withGradients = params.filter { $0.grad != nil }
        let norm = noGrad { withGradients.map { $0.grad!.pow(2).sum().item() }.reduce(0, +).squareRoot() }
        guard norm > 0 else { return base.step() }
        // Climb to the worst point within ρ (to first order), along the gradient of all parameters.
        let ascent = noGrad { withGradients.map { $0.grad! * (rho / norm) } }
        noGrad {
            for (p, e) in zip(withGradients, ascent) {
                p.addInPlace(e)
                p.grad!.zero()
            }
        }
        lossAgain().backward()
        noGrad {
            for (p, e) in zip(withGradients, ascent) { p.addInPlace(e, alpha: -1) }
        }
        base.step()
        // MARK: - End of answer
    }
}

/// Sharpness-Aware Minimization as a learner callback: with it in `cbs`, every training batch of
/// `fit` takes a SAM step (see `SAMOptimizer`) with whichever optimiser `optFunc` makes; validation
/// batches are untouched (one forward pass, no step). Each training batch runs the model twice.
///
/// `Learner(model, dls, lossFunc: crossEntropy, lr: 0.1, cbs: [SAM(rho: 0.05)])`
public final class SAM: Callback {
    /// The radius of the neighbourhood (the paper's ρ; 0.05 is its usual value).
    public let rho: Float

    public init(rho: Float = 0.05) { self.rho = rho }

    public override func beforeBatch() throws {
        // MARK: - Answer
        // `fit` makes its optimiser after `beforeFit`, so the first training batch of each fit wraps it.
        guard self.training, !(self.opt is SAMOptimizer), let learner = self.learner else { return }
        let (x, y) = self.batch!
        self.opt = SAMOptimizer(base: self.opt, rho: rho) { [unowned learner] in
            learner.lossFunc(learner.model(x), y)
        }
        // MARK: - End of answer
    }
}
