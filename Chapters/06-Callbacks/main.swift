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

        One difference: `GetAttr` forwards only reads. In Python, a plain assignment such as
        `self.batch = …` inside a callback would set the callback's own attribute, which is why
        the chapter's `SetupLearnerCB` writes `self.learner.batch` and its `LRFinder.before_fit`
        writes `self.learner.lr`. Setting an attribute of something read through it already
        works: `self.opt.lr = …` reads `opt` through `GetAttr`, then sets the optimiser's own
        attribute; that is how the chapter's `LRFinder` and `OneCycle` change the rate. Our
        subscript has a setter as well, so the plain assignments `self.batch = …` and
        `self.lr = …` also reach the learner; `self.opt.lr = …` needs only the getter, as in
        Python, since the optimiser is an object both sides share.

        `learner` is declared `weak`. Swift frees an object when the last reference to it goes
        (reference counting, ARC) and has no cycle collector as Python has, so a learner that holds
        its callbacks and callbacks that held their learner would keep each other alive forever.
        A weak reference does not count, and reads as nil once the learner is gone.

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
        the learner's own `batch` (the chapter's `self.learner.batch = …`).
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

        The model is untrained, so expect an accuracy near chance, 0.1 — or, on the full data
        set, exactly 0. That is not a bug: the validation loader does not shuffle, and the files
        are sorted, folder by folder, so its first 256 images are all of the first class, and an
        untrained model that happens to favour another class gets every one of them wrong. The
        first line below counts the batch's classes; the quick set's validation batch holds all
        ten.
        """,
    showing: ["TrackResults"]
) { ctx in
    let track = TrackResults()
    let learn = Learner(
        simpleCNN(), dls, lossFunc: crossEntropy, lr: ctx.lr,
        cbs: [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), track])
    let (xb, yb) = try first(data.validDL)
    let counts = Dictionary(grouping: yb.toArray().map { Int($0) }, by: { $0 }).mapValues(\.count)
    if counts.count == 1, let only = counts.keys.first {
        ctx.print("the first validation batch: all \(yb.shape[0]) images of class \(only) (\(data.lbls[only]))")
    } else {
        let fewest = counts.values.min()!, most = counts.values.max()!
        ctx.print(
            "the first validation batch: \(yb.shape[0]) images of \(counts.count) classes,",
            fewest == most ? "\(most) each" : "\(fewest) to \(most) each")
    }
    try learn(.beforeFit)
    learn.model.training = false
    try learn(.beforeEpoch)
    learn.batch = (xb, yb)
    try noGrad { try learn.oneBatch() }
    ctx.print("accs:", track.accs.map { $0.item() }, " losses:", track.losses.map { $0.item() }, " ns:", track.ns)
    try learn(.afterEpoch)
}

book.step(
    "A timeline of one short fit",
    explain: """
        The learner calls every callback at every event; most turns change nothing. To see
        which do, `CallbackTimeline` wraps the callbacks and compares the learner (its batch, its
        optimiser's rate, its model) and each callback's own lists before and after each turn. The
        fit is short — one batch of images cut into two training batches, and one validation batch
        — and batches that repeat the one before share its rows. The validation batch is the one
        the TrackResults step counted: on the full data set all of one class, so its accuracy
        says little. The table is the result here: it shows which callback changed what, and
        when (`—` where a turn changed nothing). The real fit comes next.
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

book.run()
