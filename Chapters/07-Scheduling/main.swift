// Section "Scheduling the Learning Rate": find a good rate, then vary it over training.
import Foundation
import Shared

let book = Workbook(
    title: "07 · Scheduling the learning rate",
    about: """
        Two callbacks that change the learning rate while training: the LR finder, which sweeps
        it upwards to see where training works, and the one-cycle schedule, which warms up and then
        anneals.
        """,
    epochs: 8, lr: 0.1)

var data: ImagenetteData!
var dls: DataLoaders!
var cbs: [LearnerCallback] = []
var lrfind: LRFinder!
var onecyc: OneCycle!

book.step(
    "Recap: the data and the callbacks",
    explain: """
        The loaders and the normaliser of the Dataset section, and the callbacks of the
        Callbacks section.
        """
) { ctx in
    data = try ImagenetteData(ctx.settings)
    dls = DataLoaders(data.trainDL, data.validDL)
    cbs = [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), TrackResults()]
    ctx.print("\(dls.train.count) training batches, \(dls.valid.count) validation batches")
}

book.step(
    "The LR finder",
    explain: """
        Start at 1e-6; before every training batch multiply the rate by 1.2, and after it record
        the loss, until the rate passes 10 or the loss turns into NaN. It stops training by
        throwing `CancelFitError`, which `fit` catches — that is what the `do`/`catch` in `fit` is
        for (question 28). It ignores validation batches (question 33): they take no step, so
        their loss says nothing about the rate.

        The learner is still made with `lr: 0.1`, as the chapter's is, and the finder's
        `beforeFit` replaces it with 1e-6. That works because `fit` sends `beforeFit` first and
        only then builds the optimiser from the learner's `lr`: a callback prepares the fit
        before anything is made from the learner's state, an order the chapter's design relies on.

        Only those two things stop it. A loss that has grown a millionfold but is still a number
        does not: the sweep goes on, and the validation lines between epochs may show huge losses
        or `nan` without stopping anything, since the finder reads only training losses. fastai's
        `LRFinder` also stops once the smoothed loss passes four times the best smoothed loss so
        far (`stop_div=True`), which ends most sweeps soon after the loss turns up, long before a
        NaN. The last lines below say why this sweep stopped and how far the loss climbed first.

        At 1.2 a batch the rate passes 10 at the 89th training batch, which the chapter's
        `fit(2)` has on the full data set, so the finder stops on its own before the second epoch
        is over: at the rate, or earlier if the loss turns into NaN first. The quick set has only
        a few batches an epoch: there the step multiplies by a larger factor, chosen so that 45
        batches take the rate from 1e-6 to 10, and asks for as many epochs as the sweep needs,
        plus one to spare. The lines above the training say which was used.
        """,
    showing: ["LRFinder"]
) { ctx in
    let start: Float = 1e-6, end: Float = 10
    // The training batch at which the rate, `start` times `factor` per batch, passes `end`.
    func sweep(_ factor: Float) -> Int { Int(Foundation.log(end / start) / Foundation.log(factor)) + 1 }
    let n = dls.train.count
    var factor: Float = 1.2, epochs = 2
    ctx.print("factor 1.2: the rate passes 10 at training batch \(sweep(factor)); fit(2) has \(epochs * n)")
    if sweep(factor) > epochs * n {
        factor = Foundation.pow(end / start, 1 / 45)
        epochs = (sweep(factor) + n - 1) / n + 1
        ctx.print(
            "factor \(cFormat("%.3g", Double(factor))): it passes 10 at batch \(sweep(factor)); fit(\(epochs)) has \(epochs * n)"
        )
    }
    lrfind = LRFinder(startLR: start, maxLR: end, factor: factor)
    let learn = Learner(simpleCNN(), dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: cbs + [lrfind])
    try learn.fit(epochs)
    let last = lrfind.lrs.last ?? 0
    ctx.print("recorded \(lrfind.lrs.count) batches, up to lr \(cFormat("%.3g", Double(last)))")
    if let reason = lrfind.stopReason {
        ctx.print("the finder stopped training: \(reason)")
    } else {
        ctx.print("it ran out of batches before the rate passed 10 or the loss became NaN")
    }
    func loss(_ x: Float?) -> String { x.map { cFormat("%.3g", Double($0)) } ?? "-" }
    let losses = lrfind.losses
    ctx.print(
        "recorded losses: first \(loss(losses.first)), lowest \(loss(losses.min())), largest \(loss(losses.max())),",
        "last \(loss(losses.last))")
}

book.step(
    "Plot: loss against learning rate",
    explain: """
        Loss is flat while the rate is too small to matter, falls where learning happens,
        and shoots up once the rate is too large. A good rate sits on the falling part, well
        before the minimum. `plot()` leaves out the last two points, as the chapter's
        `lrfind.lrs[:-2]` does, and uses a log scale for the rate. One thing the chapter's plot
        does not do: when the loss climbs past twice its first value, the y axis stops there, so
        the final spike leaves the frame. Left in, a spike to thousands would flatten everything
        before it into one line at the bottom, the falling part where the choice is made
        included. The PNG is written with libpng; the terminal gets a rough copy.
        """,
    showing: ["LRFinder.plot"]
) { ctx in
    try ctx.showPlot(lrfind.plot(), name: "lr-finder.png")
}

book.step(
    "One cycle",
    explain: """
        For the first quarter of training batches the rate climbs linearly from a tenth of
        the base rate to the base rate, then falls linearly towards zero. Warming up avoids a violent
        start while the weights are random; annealing lets training settle into a minimum. The
        callback works out how far through training it is from `epoch`, `num` and the number of
        batches, and sets `opt.lr` before each training batch.
        """,
    showing: ["OneCycle"]
) { ctx in
    onecyc = OneCycle(ctx.lr)
    let learn = Learner(simpleCNN(), dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: cbs + [onecyc])
    try learn.fit(ctx.epochs)
}

book.step(
    "Plot: the schedule",
    explain: "One point per training batch: the warm-up ramp, then the long linear descent."
) { ctx in
    try ctx.showPlot(onecyc.plot(), name: "one-cycle.png")
}

book.run()
