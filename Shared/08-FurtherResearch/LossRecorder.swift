/// Every training batch's loss, as fastai's `Recorder` keeps for `plot_loss()`; kept on the device
/// until the fit ends, so a GPU is not stopped every batch.
public final class LossRecorder: Callback {
    /// The training losses of the last fit, batch by batch (filled in when the fit ends).
    public private(set) var losses: [Float] = []
    private var pending: [Tensor] = []

    public override init() {}

    public override func beforeFit() throws {
        losses = []
        pending = []
    }

    public override func afterBatch() throws {
        guard self.training else { return }
        pending.append(self.loss!.detach())
    }

    public override func afterFit() throws {
        losses = pending.isEmpty ? [] : Tensor.stack(pending).toArray()
        pending = []
    }

    /// `losses` smoothed as fastai's `Recorder` shows them (`smoothed(_:beta:)`).
    public var smoothedLosses: [Float] { LossRecorder.smoothed(losses) }

    /// An exponential moving average with weight `beta` on the past, divided by `1 − betaⁱ` so that
    /// the first values are not dragged towards the average's starting value of 0 (the correction
    /// Adam applies to its moments). fastai smooths every loss it shows this way, with `beta` 0.98.
    public static func smoothed(_ losses: [Float], beta: Float = 0.98) -> [Float] {
        var average: Float = 0, correction: Float = 1
        return losses.map { loss in
            average = beta * average + (1 - beta) * loss
            correction *= beta
            return average / (1 - correction)
        }
    }
}
