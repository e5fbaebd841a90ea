/// The chapter's `LRFinder`: the rate grows 1.2 times a batch until it passes 10 or the loss is NaN;
/// unlike fastai's, a loss that is large but finite (`stop_div`) does not stop it.
public final class LRFinder: Callback {
    /// Why a sweep ended before the fit ran out of batches.
    public enum StopReason: Equatable, CustomStringConvertible {
        /// The rate of the batch just run, `lr`, passed `maxLR` (that batch is not recorded).
        case rateAboveMax(lr: Float, maxLR: Float)
        /// The loss of the batch run at rate `lr` was NaN (not recorded either).
        case lossNaN(lr: Float)

        public var description: String {
            switch self {
            case .rateAboveMax(let lr, let maxLR):
                "the rate, \(cFormat("%.3g", Double(lr))), passed \(cFormat("%g", Double(maxLR)))"
            case .lossNaN(let lr): "the loss was NaN at rate \(cFormat("%.3g", Double(lr)))"
            }
        }
    }

    /// The rates and losses seen, batch by batch.
    public private(set) var lrs: [Float] = [], losses: [Float] = []
    /// Why the last sweep stopped; nil while it runs, and after a fit that ran out of batches first.
    public private(set) var stopReason: StopReason?
    /// Where the search starts and what ends it.
    public let startLR: Float, maxLR: Float, factor: Float

    public init(startLR: Float = 1e-6, maxLR: Float = 10, factor: Float = 1.2) {
        self.startLR = startLR
        self.maxLR = maxLR
        self.factor = factor
    }

    /// Sets the learner's rate, which `fit` turns into the optimiser's once every `beforeFit` has run.
    public override func beforeFit() throws {
        lrs = []
        losses = []
        stopReason = nil
        self.lr = startLR
    }

    /// Only training batches take part (question 33): validation does not step, so its loss says
    /// nothing about the rate just used.
    public override func beforeBatch() throws {
        guard self.training else { return }
        self.opt.lr *= factor
    }

    public override func afterBatch() throws {
        guard self.training else { return }
        let loss = self.loss!.item()
        // The rate first, as the chapter's `lr > 10 or isnan(loss)` tests it: past the last rate the
        // sweep is over whatever the loss did.
        if self.opt.lr > maxLR {
            stopReason = .rateAboveMax(lr: self.opt.lr, maxLR: maxLR)
        } else if loss.isNaN {
            stopReason = .lossNaN(lr: self.opt.lr)
        }
        if stopReason != nil { throw CancelFitError() }
        losses.append(loss)
        lrs.append(self.opt.lr)
    }
}
