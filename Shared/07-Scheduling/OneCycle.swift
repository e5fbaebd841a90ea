/// The chapter's one-cycle schedule: over the first 25% of training batches the rate climbs
/// linearly from `baseLR / 10` to `baseLR`, then falls linearly to 0 at the end.
///
/// When the optimiser has a momentum (`HasMomentum`), it is cycled the other way, as fastai's
/// `fit_one_cycle` does: from `moms.high` down to `moms.low` while the rate climbs, and back up while
/// it falls. Large steps then come with little momentum, so that a burst of large, noisy gradients
/// does not build up speed. fastai moves both along cosines (0.95 → 0.85 → 0.95); here momentum
/// mirrors this schedule's straight lines instead, and the cosine is left to question 34.
public final class OneCycle: Callback {
    /// The peak learning rate.
    public let baseLR: Float
    /// Fraction of training spent warming up, and the divisor of the starting rate.
    public let pctStart: Float, divStart: Float
    /// The momentum at the ends of training (`high`) and at the peak rate (`low`); fastai's `moms`.
    public let moms: (high: Float, low: Float)
    /// The rate of every training batch, in order.
    public private(set) var lrs: [Float] = []
    /// The momentum of every training batch, in order; empty when the optimiser has none.
    public private(set) var momentums: [Float] = []

    public init(
        _ baseLR: Float, pctStart: Float = 0.25, divStart: Float = 10, moms: (high: Float, low: Float) = (0.95, 0.85)
    ) {
        self.baseLR = baseLR
        self.pctStart = pctStart
        self.divStart = divStart
        self.moms = moms
    }

    /// The rate at fraction `pct` (0…1) of training.
    public func lr(at pct: Float) -> Float {
        if pct < pctStart {
            let t = pct / pctStart
            return (1 - t) * baseLR / divStart + t * baseLR
        }
        let t = (pct - pctStart) / (1 - pctStart)
        return (1 - t) * baseLR
    }

    /// The momentum at fraction `pct` (0…1) of training: where the rate is at its lowest the momentum
    /// is `moms.high`, where the rate peaks it is `moms.low`, and it moves in step with the rate.
    public func mom(at pct: Float) -> Float {
        let t = pct < pctStart ? pct / pctStart : 1 - (pct - pctStart) / (1 - pctStart)
        return (1 - t) * moms.high + t * moms.low
    }

    public override func beforeFit() throws {
        lrs = []
        momentums = []
    }

    /// Sets the rate (and momentum) of each training batch from how far through training it is,
    /// worked out from `epoch` and `num`. Validation batches take no step, so they neither set the
    /// rate nor add to `lrs` (question 33).
    public override func beforeBatch() throws {
        guard self.training else { return }
        let n = self.dls.train.count
        let batchNumber = self.epoch * n + self.num
        let pct = Float(batchNumber) / Float(self.nEpochs * n)
        let lr = lr(at: pct)
        self.opt.lr = lr
        lrs.append(lr)
        if let opt = self.opt as? HasMomentum {
            let mom = mom(at: pct)
            opt.mom = mom
            momentums.append(mom)
        }
    }
}
