/// The learning-rate finder: starts at a tiny rate, multiplies it by 1.2 before every training batch,
/// and records the loss after it, until the rate passes 10 or the loss becomes NaN. Plotting loss
/// against rate shows the range where training makes progress.
public final class LRFinder: Callback {
    /// The rates and losses seen, batch by batch.
    public private(set) var lrs: [Float] = [], losses: [Float] = []
    /// Where the search starts and what ends it.
    public let startLR: Float, maxLR: Float, factor: Float

    public init(startLR: Float = 1e-6, maxLR: Float = 10, factor: Float = 1.2) {
        self.startLR = startLR
        self.maxLR = maxLR
        self.factor = factor
    }

    public override func beforeFit() throws {
        lrs = []
        losses = []
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
        if self.opt.lr > maxLR || loss.isNaN { throw CancelFitError() }
        losses.append(loss)
        lrs.append(self.opt.lr)
    }
}
