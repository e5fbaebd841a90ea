import Foundation

/// What `Learner.lrFind` saw and what it suggests.
public struct LRFindResult {
    /// The rate of every training batch of the search, in order.
    public let lrs: [Float]
    /// The loss of every training batch, as measured.
    public let losses: [Float]
    /// The losses smoothed as fastai's `Recorder` smooths them (`LossRecorder.smoothed`).
    public let smoothedLosses: [Float]
    /// Index of the suggested point (fastai's `valley` rule), or nil when too few batches ran.
    public let suggestionIndex: Int?

    /// The suggested learning rate, or nil when too few batches ran to suggest one.
    public var suggestion: Float? { suggestionIndex.map { lrs[$0] } }
}

extension Learner {
    /// fastai's `learn.lr_find()`: sweeps the learning rate upwards with the chapter's `LRFinder`,
    /// suggests a rate by fastai's `valley` rule, and then puts everything the search changed back as
    /// it was — the weights (bit for bit) and their gradients, the optimiser, the rate, the
    /// callbacks, the data loaders and the training flag — so that a `fit` afterwards starts from the
    /// same weights as before. fastai saves the model to a temporary file and loads it back; here the
    /// copy stays in memory.
    ///
    /// Only callbacks that prepare batches take part in the search: those that report, record or
    /// schedule (`TrackResults`, `LossRecorder`, `ActivationStats`, `OneCycle`, another `LRFinder`)
    /// would print lines for a training nobody asked for, keep statistics of it, or fight the finder
    /// over the rate, so they are left out (fastai's `no_logging`). The data loaders are not rewound: if they
    /// shuffle, the next `fit` sees its batches in another order than it would have. Only parameters
    /// are restored: a module's other tensors (a BatchNorm's running statistics, exercise R2) keep
    /// what the search did to them.
    /// - Parameters:
    ///   - finder: the sweep; by default the chapter's (from 1e-6, ×1.2 a batch, until 10 or NaN).
    /// - Returns: the rates, the losses and the suggestion.
    public func lrFind(_ finder: LRFinder = LRFinder()) throws -> LRFindResult {
        let params = model.parameters()
        // Copies, not references: the search changes the numbers in place.
        let weights = params.map { p in (device: p.device, copy: p.detach().contiguousCopy()) }
        let grads = params.map { $0.grad?.detach().contiguousCopy() }
        let saved = (
            opt: opt, lr: lr, cbs: cbs, dls: dls, training: model.training, nEpochs: nEpochs, epoch: epoch, num: num,
            batch: batch, preds: preds, loss: loss
        )
        defer {
            noGrad {
                for (p, saved) in zip(params, weights) {
                    p.moveStorage(to: saved.device)
                    p.assign(saved.copy)
                }
                for (p, saved) in zip(params, grads) { p.grad = saved?.contiguousCopy() }
            }
            (opt, lr, cbs, dls, model.training, nEpochs, epoch, num) = (
                saved.opt, saved.lr, saved.cbs, saved.dls, saved.training, saved.nEpochs, saved.epoch, saved.num
            )
            (batch, preds, loss) = (saved.batch, saved.preds, saved.loss)
            for cb in cbs { cb.learner = self }
        }

        cbs =
            cbs.filter {
                !($0 is TrackResults || $0 is LossRecorder || $0 is ActivationStats || $0 is OneCycle || $0 is LRFinder)
            } + [finder]
        for cb in cbs { cb.learner = self }
        // No validation between the search's epochs (fastai's finder cancels it too): it takes no step,
        // so it says nothing about the rates, and it would cost time.
        dls = DataLoaders(dls.train, NoBatches())
        // Enough epochs for the rate to climb from the start to the end; the finder stops the fit.
        let batchesNeeded =
            Int((Foundation.log(finder.maxLR / finder.startLR) / Foundation.log(finder.factor)).rounded(.up)) + 1
        try fit(batchesNeeded / Swift.max(dls.train.count, 1) + 1)

        return LRFindResult(
            lrs: finder.lrs, losses: finder.losses, smoothedLosses: LossRecorder.smoothed(finder.losses),
            suggestionIndex: LRSuggestion.suggestion(losses: finder.losses, numIt: batchesNeeded))
    }
}

/// No batches at all: the validation set of the search.
private struct NoBatches: BatchProvider, BatchIterator {
    var count: Int { 0 }
    func makeBatchIterator() -> any BatchIterator { self }
    mutating func next() throws -> Batch? { nil }
}

extension Tensor {
    /// A copy with storage of its own (`clone()`), on the same device.
    fileprivate func contiguousCopy() -> Tensor {
        let copy = Tensor.zeros(shape, device: device)
        copy.assign(self)
        return copy
    }
}
