// Section "Callbacks": how the learner's events reach small objects that change what it does.
import Shared

let book = Workbook(
    title: "06 · Callbacks",
    about: """
        Callbacks are small objects the learner calls at fixed moments of training; they read and
        change the learner's state. We look at the base class and the two callbacks training needs.
        """,
    epochs: 1, lr: 0.1)

var data: ImagenetteData!
var dls: DataLoaders!

book.step(
    "Recap: the data",
    explain: "The loaders and the normaliser of the Dataset section."
) { ctx in
    data = try ImagenetteData(ctx.settings)
    dls = DataLoaders(data.trainDL, data.validDL)
    ctx.print("\(dls.train.count) training batches, \(dls.valid.count) validation batches")
}

book.step(
    "Callback",
    explain: """
        The chapter's callbacks inherit from `GetAttr`, so `self.model` inside a callback
        quietly means `self.learner.model` (question 24). Swift does this with
        `@dynamicMemberLookup` and key paths: `self.epoch` is rewritten to
        `self[dynamicMember: \\Learner.epoch]`, checked when compiling, so a typo is a compile
        error rather than an AttributeError at run time.

        One difference: `GetAttr` forwards only reads. In Python, `self.batch = …` inside a
        callback would set the callback's own attribute, which is why the chapter's
        `SetupLearnerCB` writes `self.learner.batch`. Our subscript has a setter as well, so
        `self.batch = …` and `self.opt.lr = …` write through to the learner.

        The six event methods are the `LearnerCallback` protocol's; `Callback` overrides them with
        empty bodies so subclasses can override the ones they need.
        """,
    showing: ["Callback"]
) { ctx in
    ctx.print(Event.allCases.map(\.rawValue).joined(separator: " → "))
}

book.step(
    "SetupLearnerCB",
    explain: """
        Before fitting it moves the model to the device; before each batch it moves the batch
        there and applies `tfmX`. It writes `self.batch = …`, which goes through the key path to
        the learner's own `batch`.
        """,
    showing: ["SetupLearnerCB"]
) { ctx in
    let setup = SetupLearnerCB(device: ctx.device, tfmX: data.tfmX)
    ctx.print("SetupLearnerCB on \(setup.device)")
}

book.step(
    "TrackResults",
    explain: """
        It keeps, per batch, the number of correct predictions, the loss times the batch size
        and the batch size, and prints the averages when the epoch ends. `beforeEpoch` empties
        those lists (question 31), so training and validation numbers never mix. The sums stay
        tensors until the end of the epoch: on a GPU, reading a number back waits for all queued
        work, so it is done once per epoch, not per batch.

        Below, the events of one validation batch are sent by hand, as `fit` would send them:
        `beforeFit` prints the header, `oneBatch` runs the model and `afterBatch` records, and
        `afterEpoch` prints the line.
        """,
    showing: ["TrackResults"]
) { ctx in
    let track = TrackResults()
    let learn = Learner(
        simpleCNN(), dls, lossFunc: crossEntropy, lr: ctx.lr,
        cbs: [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), track])
    try learn(.beforeFit)
    learn.model.training = false
    try learn(.beforeEpoch)
    learn.batch = try first(data.validDL)
    try noGrad { try learn.oneBatch() }
    ctx.print("accs:", track.accs.map { $0.item() }, " losses:", track.losses.map { $0.item() }, " ns:", track.ns)
    try learn(.afterEpoch)
}

book.step(
    "Fit with the callbacks",
    explain: """
        The chapter's `cbs` and `learn.fit(1)`: the same learner as in the Learner section, now
        knowing what each callback does.
        """
) { ctx in
    let cbs: [LearnerCallback] = [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), TrackResults()]
    let learn = Learner(simpleCNN(), dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: cbs)
    try learn.fit(ctx.epochs)
}

book.step(
    "A timeline of one short fit",
    explain: """
        The learner calls every callback at every event; most turns change nothing. To see
        which do, `CallbackTimeline` wraps the callbacks and compares the learner (its batch, its
        optimiser's rate, its model) and each callback's own lists before and after each turn. The
        fit is short — one batch of images cut into two training batches, and one validation batch
        — and batches that repeat the one before share its rows.
        """,
    showing: ["CallbackTimeline.trace"]
) { ctx in
    let (xb, yb) = try first(data.trainDL)
    let (vx, vy) = try first(data.validDL)
    let short = DataLoaders(
        InMemoryBatches(x: xb, y: yb, bs: max(1, (xb.shape[0] + 1) / 2)),
        InMemoryBatches(x: vx, y: vy, bs: vx.shape[0]))
    let timeline = CallbackTimeline()
    let cbs: [LearnerCallback] = [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), TrackResults()]
    let learn = Learner(simpleCNN(), short, lossFunc: crossEntropy, lr: ctx.lr, cbs: timeline.trace(cbs))
    try learn.fit(1)
    ctx.table(CallbackTimeline.header, timeline.rows)
}

book.run()
