/// The chapter's `Learner`: the training loop with callbacks around every step. Its state is public
/// and mutable for the callbacks; what exists only once training starts is implicitly unwrapped.
public final class Learner {
    public var model: Module
    public var dls: DataLoaders
    public var lossFunc: (Tensor, Tensor) -> Tensor
    public var lr: Float
    public var cbs: [LearnerCallback]
    public var optFunc: ([Parameter], Float) -> Optimizer

    /// The optimiser of the current fit.
    public var opt: Optimizer!
    /// Number of epochs of the current fit.
    public var nEpochs = 0
    /// The current epoch, from 0.
    public var epoch = 0
    /// Index of the current batch within the epoch.
    public var num = 0
    /// The current batch; callbacks may replace it in `beforeBatch` (to move or transform it).
    public var batch: Batch!
    /// The model's output for the current batch.
    public var preds: Tensor!
    /// The loss of the current batch.
    public var loss: Tensor!
    /// Whether to draw a progress bar over each epoch's batches (only ever drawn on a terminal).
    public var showProgress = true

    /// A learner; every callback gets `learner` set to it, as in the chapter's `__init__`.
    ///
    /// The chapter's `store_attr()` copies arguments to attributes; here the initialiser does.
    public init(
        _ model: Module, _ dls: DataLoaders, lossFunc: @escaping (Tensor, Tensor) -> Tensor,
        lr: Float, cbs: [LearnerCallback] = [],
        optFunc: @escaping ([Parameter], Float) -> Optimizer = { SGD($0, lr: $1) }
    ) {
        self.model = model
        self.dls = dls
        self.lossFunc = lossFunc
        self.lr = lr
        self.cbs = cbs
        self.optFunc = optFunc
        for cb in cbs { cb.learner = self }
    }

    /// Whether the model is in training mode (as opposed to validating).
    public var training: Bool { model.training }

    /// One batch: predictions and loss; in training, also backward and an optimiser step.
    ///
    /// Validation batches must not update the weights — that is why `model.training` is checked
    /// (question 29).
    public func oneBatch() throws {
        try callAsFunction(.beforeBatch)
        let (xb, yb) = batch
        preds = model(xb)
        loss = lossFunc(preds, yb)
        if model.training {
            loss.backward()
            opt.step()
        }
        try callAsFunction(.afterBatch)
    }

    /// One pass over the training (`train: true`) or validation batches.
    public func oneEpoch(train: Bool) throws {
        model.training = train
        try callAsFunction(.beforeEpoch)
        let dl = train ? dls.train : dls.valid
        var batches = dl.makeBatchIterator()
        // leave: false — the bar disappears when the epoch ends, leaving room for TrackResults' line.
        let bar = showProgress ? ProgressBar(total: dl.count, label: train ? "train" : "valid", leave: false) : nil
        defer { bar?.finish() }
        num = 0
        // Validation records no graph: nothing will be differentiated, and it saves time and memory.
        while let next = try (train ? batches.next() : noGrad { try batches.next() }) {
            batch = next
            if train { try oneBatch() } else { try noGrad { try oneBatch() } }
            num += 1
            bar?.update(num)
        }
        try callAsFunction(.afterEpoch)
    }

    /// Trains for `nEpochs` epochs, each followed by validation. A callback may end training early
    /// by throwing `CancelFitError`; `fit` catches it so `afterFit` still runs (question 28). Other
    /// errors (a corrupt image met by the DataLoader) stop training and reach the caller.
    public func fit(_ nEpochs: Int) throws {
        try callAsFunction(.beforeFit)
        opt = optFunc(model.parameters(), lr)
        self.nEpochs = nEpochs
        do {
            for epoch in 0..<nEpochs {
                self.epoch = epoch
                try oneEpoch(train: true)
                try oneEpoch(train: false)
            }
        } catch is CancelFitError {}
        try callAsFunction(.afterFit)
    }

    /// Sends `event` to every callback in order (the chapter's `Learner.__call__`, question 26).
    public func callAsFunction(_ event: Event) throws {
        for cb in cbs { try cb.handle(event) }
    }
}
