// Known-wrong answer to exercise 34: lr(at:) appends each rate it computes to lrs, which beforeBatch already does, so after a fit lrs holds every rate twice.
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
    /// It rises from `baseLR / divStart` at pct 0 to `baseLR` at `pctStart`, then falls to 0 at pct 1.
    /// Within each of the two phases the rate follows half a period of a cosine wave stretched over
    /// that phase: it leaves the phase's start slowly, moves fastest halfway through, and arrives
    /// gently. It uses this schedule's own `baseLR`, `pctStart` and `divStart`.
    ///
    /// With the defaults and `baseLR` 0.1: `lr(at: 0)` is 0.01, `lr(at: 0.125)` is 0.055, `lr(at: 0.25)`
    /// is 0.1, `lr(at: 0.625)` is 0.05 and `lr(at: 1)` is 0.
    public func lr(at pct: Float) -> Float {
        // MARK: - Answer
        func cosineStep(from a: Float, to b: Float, _ t: Float) -> Float {
            a + (b - a) * (1 - cos(Float.pi * t)) / 2
        }
        let rate =
            pct < pctStart
            ? cosineStep(from: baseLR / divStart, to: baseLR, pct / pctStart)
            : cosineStep(from: baseLR, to: 0, (pct - pctStart) / (1 - pctStart))
        lrs.append(rate)
        return rate
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
