// Known-wrong answer to exercise 25: the finder takes itself out of the learner's callbacks when its fit ends (so that later fits train normally), so a second fit of the same learner searches nothing.
import ExerciseSupport
import Shared

// Question 25. Write one of the chapter's callbacks again without inheriting from `Callback` (the
// chapter's `GetAttr` base; here the class with `@dynamicMemberLookup`).
//
// This one is the learning-rate finder. A plain Swift class conforms to the `LearnerCallback`
// protocol itself: it declares the `learner` property the protocol asks for, writes only the event
// methods it needs (the protocol's extension gives the others empty bodies), and reaches the
// learner's state through `learner` explicitly instead of through dynamic member lookup.

/// The learning-rate finder as a plain class. After a fit, `lrs` and `losses` hold what the
/// workbook's `LRFinder` (`Shared/07-Scheduling/LRFinder.swift`) holds after the same fit, and the
/// fit ends at the same batch: before the fit the learner's rate becomes `startLR`; each training
/// batch runs at the previous rate times `factor`; the first training batch that ran at a rate past
/// `maxLR`, or gave a NaN loss, ends the fit unrecorded; validation batches change nothing.
///
/// With `startLR` 1, `factor` 4 and `maxLR` 10, the first training batch runs at 4 (recorded), the
/// second at 16, which ends the fit: `lrs == [4]`, and `losses` holds that first batch's loss.
public final class PlainLRFinder: LearnerCallback {
    /// Set by the learner. Weak, because the learner already holds its callbacks.
    public weak var learner: Learner?
    /// The rates and losses seen, one per training batch.
    public private(set) var lrs: [Float] = [], losses: [Float] = []
    /// Where the search starts, the rate that ends it, and the growth per batch.
    public let startLR: Float, maxLR: Float, factor: Float

    public init(startLR: Float = 1e-6, maxLR: Float = 10, factor: Float = 1.2) {
        self.startLR = startLR
        self.maxLR = maxLR
        self.factor = factor
    }

    /// Before the fit: the records start empty, and the learner's rate is `startLR` (the learner
    /// makes its optimiser with its rate right after `beforeFit`).
    public func beforeFit() throws {
        // MARK: - Answer
        lrs = []
        losses = []
        guard let learner else { return }
        learner.lr = startLR
        // MARK: - End of answer
    }

    /// Before every batch: a training batch runs at the optimiser's previous rate times `factor`.
    public func beforeBatch() throws {
        // MARK: - Answer
        guard let learner, learner.training else { return }
        learner.opt.lr *= factor
        // MARK: - End of answer
    }

    /// After every batch: after a training batch, the fit ends (`CancelFitError`) if the batch ran at
    /// a rate past `maxLR` or its loss is NaN; otherwise its rate and loss are recorded.
    public func afterBatch() throws {
        // MARK: - Answer
        guard let learner, learner.training else { return }
        let loss = learner.loss.item()
        if learner.opt.lr > maxLR || loss.isNaN { throw CancelFitError() }
        losses.append(loss)
        lrs.append(learner.opt.lr)
        // MARK: - End of answer
    }

    /// After the fit: the search is over, and the learner's later fits should not search again.
    public func afterFit() throws {
        learner?.cbs.removeAll { $0 === self }
    }
}
