/// The chapter's `OneCycle`: the rate climbs from `baseLR / 10` to `baseLR` over the first quarter of
/// the batches, then falls to 0.
public class OneCycle: Callback {
    /// The peak learning rate.
    public let baseLR: Float
    /// Fraction of training spent warming up, and the divisor of the starting rate.
    public let pctStart: Float, divStart: Float
    /// The rate of every training batch, in order.
    public private(set) var lrs: [Float] = []
    /// How far through training the last training batch was (0…1).
    public private(set) var pct: Float = 0

    public init(_ baseLR: Float, pctStart: Float = 0.25, divStart: Float = 10) {
        self.baseLR = baseLR
        self.pctStart = pctStart
        self.divStart = divStart
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

    public override func beforeFit() throws { lrs = [] }

    /// Sets the rate of each training batch from how far through training it is,
    /// worked out from `epoch` and `num`. Validation batches take no step, so they neither set the
    /// rate nor add to `lrs` (question 33).
    public override func beforeBatch() throws {
        guard self.training else { return }
        let n = self.dls.train.count
        let batchNumber = self.epoch * n + self.num
        pct = Float(batchNumber) / Float(self.nEpochs * n)
        let lr = lr(at: pct)
        self.opt.lr = lr
        lrs.append(lr)
    }
}
