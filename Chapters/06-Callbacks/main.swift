// Section "Callbacks": how the learner's events reach small objects that change what it does.
import Shared

let book = Workbook(
    title: "06 · Callbacks",
    about: "Callbacks are small objects the learner calls at fixed moments of training; they read and "
        + "change the learner's state. We look at the base class and the two callbacks training needs.",
    epochs: 1, lr: 0.1)

var data: ImagenetteData!

book.step(
    "Recap: the data",
    explain: "The loaders and the normaliser of the Dataset section.",
    code: "data = try ImagenetteData(settings)"
) { ctx in
    data = try ImagenetteData(ctx.settings)
    ctx.print("\(data.trainDL.count) training batches, \(data.validDL.count) validation batches")
}

book.step(
    "Callback",
    explain: "The chapter's callbacks inherit from `GetAttr`, so `self.model` inside a callback "
        + "quietly means `self.learner.model` (question 24). Swift does this with "
        + "`@dynamicMemberLookup` and key paths: `self.epoch` is rewritten to "
        + "`self[dynamicMember: \\Learner.epoch]`, checked when compiling, so a typo is a compile "
        + "error rather than an AttributeError at run time.\n\n"
        + "Python's learner finds a callback's method by name, with `getattr(cb, name, noop)` "
        + "(question 27). Swift resolves methods at compile time, so the events are the protocol "
        + "`LearnerCallback`, whose six methods default to doing nothing: a callback writes only the "
        + "ones it needs. See Shared/05-Learner/Events.swift and Shared/06-Callbacks/Callback.swift.",
    code: "Event.allCases"
) { ctx in
    ctx.print(Event.allCases.map(\.rawValue).joined(separator: " → "))
}

book.step(
    "SetupLearnerCB",
    explain: "Before fitting it moves the model to the device; before each batch it moves the batch "
        + "there and applies `tfmX`. It writes `self.batch = …`, which goes through the key path to "
        + "the learner's own `batch`.",
    code: "let setup = SetupLearnerCB(device: device, tfmX: data.tfmX)"
) { ctx in
    let setup = SetupLearnerCB(device: ctx.device, tfmX: data.tfmX)
    ctx.print("SetupLearnerCB on \(setup.device)")
}

book.step(
    "TrackResults",
    explain: "It keeps, per batch, the number of correct predictions, the loss times the batch size "
        + "and the batch size, and prints the averages when the epoch ends. `beforeEpoch` empties "
        + "those lists (question 31), so training and validation numbers never mix. The sums stay "
        + "tensors until the end of the epoch: on a GPU, reading a number back waits for all queued "
        + "work, so it is done once per epoch, not per batch.",
    code: "let track = TrackResults()"
) { ctx in
    ctx.print("TrackResults prints: epoch  training  loss  accuracy  time")
}

book.step(
    "Fit with the callbacks",
    explain: "The same learner as before, now knowing what each callback does.",
    code: "let learn = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: 0.1,\n"
        + "                    cbs: [SetupLearnerCB(device: device, tfmX: data.tfmX), TrackResults()])\n"
        + "try learn.fit(epochs)"
) { ctx in
    let cbs: [LearnerCallback] = [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), TrackResults()]
    let learn = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: cbs)
    try learn.fit(ctx.epochs)
}

book.run()
