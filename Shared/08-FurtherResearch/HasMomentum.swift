/// An optimiser with a momentum coefficient that a schedule may vary while training, as
/// `OneCycleWithMomentum` does. fastai calls this hyper-parameter `mom` whatever the optimiser makes of
/// it (Adam's β1, for instance); a schedule needs only to read and write it.
///
/// The chapter's `SGD` has no momentum, so it does not conform and the schedule leaves it alone.
public protocol HasMomentum: Optimizer {
    /// The momentum of the next step, between 0 and 1.
    var mom: Float { get set }
}
