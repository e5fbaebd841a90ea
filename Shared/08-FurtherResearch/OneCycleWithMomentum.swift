/// fastai's `fit_one_cycle` momentum on the chapter's `OneCycle`: momentum falls while the rate climbs,
/// so large steps do not build up speed. fastai's cosines are left to question 34.
public final class OneCycleWithMomentum: OneCycle {
    /// The momentum at the ends of training (`high`) and at the peak rate (`low`); fastai's `moms`.
    public let moms: (high: Float, low: Float)
    /// The momentum of every training batch, in order; empty when the optimiser has none.
    public private(set) var momentums: [Float] = []

    public init(
        _ baseLR: Float, pctStart: Float = 0.25, divStart: Float = 10, moms: (high: Float, low: Float) = (0.95, 0.85)
    ) {
        self.moms = moms
        super.init(baseLR, pctStart: pctStart, divStart: divStart)
    }

    /// The momentum at fraction `pct` (0…1) of training: where the rate is at its lowest the momentum
    /// is `moms.high`, where the rate peaks it is `moms.low`, and it moves in step with the rate.
    public func mom(at pct: Float) -> Float {
        let t = pct < pctStart ? pct / pctStart : 1 - (pct - pctStart) / (1 - pctStart)
        return (1 - t) * moms.high + t * moms.low
    }

    public override func beforeFit() throws {
        try super.beforeFit()
        momentums = []
    }

    /// The chapter's rate for the batch, then the momentum at the same point of training.
    public override func beforeBatch() throws {
        try super.beforeBatch()
        guard self.training, let opt = self.opt as? HasMomentum else { return }
        let mom = mom(at: pct)
        opt.mom = mom
        momentums.append(mom)
    }
}
