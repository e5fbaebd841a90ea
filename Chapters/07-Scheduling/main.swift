// Section "Scheduling the Learning Rate": find a good rate, then vary it over training.
import Shared

let book = Workbook(
    title: "07 · Scheduling the learning rate",
    about: "Two callbacks that change the learning rate while training: the LR finder, which sweeps "
        + "it upwards to see where training works, and the one-cycle schedule, which warms up and then "
        + "anneals.",
    epochs: 8, lr: 0.1)

var data: ImagenetteData!
var lrfind: LRFinder!
var onecyc: OneCycle!

func makeCallbacks(_ ctx: StepContext) -> [LearnerCallback] {
    [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), TrackResults()]
}

book.step(
    "Recap: the data",
    explain: "The loaders and the normaliser of the Dataset section.",
    code: "data = try ImagenetteData(settings)"
) { ctx in
    data = try ImagenetteData(ctx.settings)
    ctx.print("\(data.trainDL.count) training batches, \(data.validDL.count) validation batches")
}

book.step(
    "The LR finder",
    explain: "Start at 1e-6 and multiply the rate by 1.2 after every training batch, recording "
        + "the loss, until the rate passes 10 or the loss turns into NaN. It stops training by "
        + "throwing `CancelFitError`, which `fit` catches — that is what the `do`/`catch` in `fit` "
        + "is for (question 28). It ignores validation batches (question 33): they take no step, so "
        + "their loss says nothing about the rate. Two epochs are asked for; it stops on its own.",
    code: "lrfind = LRFinder()\nlet learn = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: 0.1,\n"
        + "                    cbs: cbs + [lrfind])\ntry learn.fit(2)"
) { ctx in
    lrfind = LRFinder()
    let learn = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: makeCallbacks(ctx) + [lrfind])
    try learn.fit(2)
    let last = lrfind.lrs.last ?? 0
    ctx.print("recorded \(lrfind.lrs.count) batches, up to lr \(cFormat("%.3g", Double(last)))")
    if last * lrfind.factor <= lrfind.maxLR {
        ctx.note(
            "The data set is too small for the rate to reach \(lrfind.maxLR) in two epochs: the finder "
                + "ran out of batches before the loss blew up. Without --quick it stops on its own.")
    }
}

book.step(
    "Plot: loss against learning rate",
    explain: "Loss is flat while the rate is too small to matter, falls where learning happens, "
        + "and shoots up once the rate is too large. A good rate sits on the falling part, well "
        + "before the minimum. The PNG is written with libpng; the terminal gets a rough copy.",
    code: "try showPlot(lrfind.plot(), name: \"lr-finder.png\")"
) { ctx in
    try ctx.showPlot(lrfind.plot(), name: "lr-finder.png")
}

book.step(
    "One cycle",
    explain: "For the first quarter of training batches the rate climbs linearly from a tenth of "
        + "the base rate to the base rate, then falls linearly to zero. Warming up avoids a violent "
        + "start while the weights are random; annealing lets training settle into a minimum. The "
        + "callback works out how far through training it is from `epoch`, `num` and the number of "
        + "batches, and sets `opt.lr` before each training batch.",
    code: "onecyc = OneCycle(0.1)\nlet learn = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: 0.1,\n"
        + "                    cbs: cbs + [onecyc])\ntry learn.fit(epochs)"
) { ctx in
    onecyc = OneCycle(ctx.lr)
    let learn = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: makeCallbacks(ctx) + [onecyc])
    try learn.fit(ctx.epochs)
}

book.step(
    "Plot: the schedule",
    explain: "One point per training batch: the warm-up ramp, then the long linear descent.",
    code: "try showPlot(onecyc.plot(), name: \"one-cycle.png\")"
) { ctx in
    try ctx.showPlot(onecyc.plot(), name: "one-cycle.png")
}

book.run()
