import ExerciseSupport
import Foundation
import Shared

// Question 34. Use cosine annealing in `OneCycle`.
//
// The chapter's one-cycle schedule moves the rate along straight lines: up from `baseLR / divStart`
// to `baseLR` during the first `pctStart` of training, then down to 0. Cosine annealing follows half
// a cosine wave between the same points instead: it leaves each end slowly, moves fastest in the
// middle, and settles gently at the peak and at the end.

/// The one-cycle schedule with cosine warm-up and cosine decay. Only `lr(at:)` differs from the
/// workbook's `OneCycle`; the callback part is the same.
public final class CosineOneCycle: Callback {
    /// The peak learning rate.
    public let baseLR: Float
    /// Fraction of training spent warming up, and the divisor of the starting rate.
    public let pctStart: Float, divStart: Float
    /// The rate of every training batch, in order.
    public private(set) var lrs: [Float] = []

    public init(_ baseLR: Float, pctStart: Float = 0.25, divStart: Float = 10) {
        self.baseLR = baseLR
        self.pctStart = pctStart
        self.divStart = divStart
    }

    /// The rate at fraction `pct` (0…1) of training.
    ///
    /// Going from rate `a` to rate `b` as `t` runs from 0 to 1 along half a cosine wave gives
    /// `a + (b − a) · (1 − cos(π t)) / 2`. Before `pctStart`, go from `baseLR / divStart` to `baseLR`
    /// with `t = pct / pctStart`; after it, from `baseLR` to 0 with
    /// `t = (pct − pctStart) / (1 − pctStart)`.
    public func lr(at pct: Float) -> Float {
        // MARK: - Answer
        todo(
            "write the cosine step from a to b, a + (b - a) * (1 - cos(.pi * t)) / 2, and use it for the warm-up (baseLR / divStart to baseLR) and the decay (baseLR to 0)."
        )
        // MARK: - End of answer
    }

    public override func beforeFit() throws { lrs = [] }

    /// Sets the optimiser's rate before every training batch (validation batches do not advance the
    /// schedule, question 33).
    public override func beforeBatch() throws {
        guard self.training else { return }
        let n = self.dls.train.count
        let pct = Float(self.epoch * n + self.num) / Float(self.nEpochs * n)
        let lr = lr(at: pct)
        self.opt.lr = lr
        lrs.append(lr)
    }
}
