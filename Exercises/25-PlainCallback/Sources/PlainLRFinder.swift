import ExerciseSupport
import Shared

// Question 25. Write one of the chapter's callbacks again without inheriting from `Callback` (the
// chapter's `GetAttr` base; here the class with `@dynamicMemberLookup`).
//
// This one is the learning-rate finder. A plain Swift class conforms to the `LearnerCallback`
// protocol itself: it declares the `learner` property the protocol asks for, writes only the event
// methods it needs (the protocol's extension gives the others empty bodies), and reaches the
// learner's state through `learner` explicitly instead of through dynamic member lookup.

/// The learning-rate finder as a plain class: it behaves exactly like the workbook's `LRFinder`.
///
/// Before the fit it sets the learner's rate to `startLR`. Before each *training* batch it multiplies
/// the optimiser's rate by `factor`. After each training batch it cancels the fit (throw
/// `CancelFitError()`) if the rate has passed `maxLR` or the loss is NaN; otherwise it records the
/// loss and the rate. Validation batches are left alone.
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

    /// Empties the records and sets `learner.lr` to `startLR` (the learner makes its optimiser with
    /// that rate right after `beforeFit`).
    public func beforeFit() throws {
        // MARK: - Answer
        todo(
            "empty lrs and losses, then set the learner's lr to startLR (unwrap `learner` first: `guard let learner else { return }`)."
        )
        // MARK: - End of answer
    }

    /// On training batches only: multiplies `learner.opt.lr` by `factor`.
    public func beforeBatch() throws {
        // MARK: - Answer
        todo("when the learner is training, multiply learner.opt.lr by factor.")
        // MARK: - End of answer
    }

    /// On training batches only: cancels when the rate is past `maxLR` or the loss is NaN, else
    /// records the loss (`learner.loss.item()`) and the rate.
    public func afterBatch() throws {
        // MARK: - Answer
        todo(
            "when training: throw CancelFitError() if learner.opt.lr > maxLR or the loss is NaN; otherwise append the loss to losses and the rate to lrs."
        )
        // MARK: - End of answer
    }
}
