// Section "Further research": what a learner reaches for after the chapter — know what you built,
// train it well, keep it, and ask it about a photo.
import Shared

let book = Workbook(
    title: "08 · Further research",
    about: "The chapter ends by asking you to pick features from fastai and build them. This section "
        + "builds the ones everyone wants next: a summary of the model, saving and loading weights in a "
        + "file PyTorch can read, predicting the class of one image, and seeds for repeatable runs.",
    epochs: 4, lr: 0.1)

/// The loaders and normaliser of the Dataset section.
var data: ImagenetteData!
/// The simple CNN's learner; made untrained in "What you built", trained in "Train".
var learn: Learner!
/// The training results of `learn`'s fit.
var results: TrackResults!

/// The callbacks every learner of this section gets: batches to the device and normalised, and one
/// line of loss and accuracy per epoch.
func makeCallbacks(_ ctx: StepContext, track: TrackResults = TrackResults()) -> [LearnerCallback] {
    [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), track]
}

book.step(
    "Recap: the data",
    explain: "The loaders and the normaliser of the Dataset section."
) { ctx in
    data = try ImagenetteData(ctx.settings)
    ctx.print("\(data.trainDS.count) training and \(data.validDS.count) validation images from \(data.path.path)")
}

book.step(
    "A learner",
    explain: "The simple CNN of section 03 in a Learner, as in section 07."
) { ctx in
    results = TrackResults()
    learn = Learner(
        simpleCNN(), data.dls, lossFunc: crossEntropy, lr: ctx.lr,
        cbs: makeCallbacks(ctx, track: results) + [OneCycle(ctx.lr)])
    ctx.print("a Learner with \(learn.model.parameters().count) parameter tensors")
}

// Steps from TrainingSteps.swift: lr_find, Adam against SGD, and the activation-statistics callback.
addTrainingSteps(to: book)

book.step(
    "Train",
    explain: "One-cycle training of `learn`, the model the next steps save, load and ask about images."
) { ctx in
    try learn.fit(ctx.epochs)
}

// Steps from TrainingSteps.swift: what the activation statistics recorded during "Train".
addActivationPlotSteps(to: book)

book.run()
