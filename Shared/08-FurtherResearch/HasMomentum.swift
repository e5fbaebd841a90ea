/// An optimiser whose momentum (fastai's `mom`: Adam's β1) a schedule may vary.
public protocol HasMomentum: Optimizer {
    /// The momentum of the next step, between 0 and 1.
    var mom: Float { get set }
}
