// "Further research"'s training steps: the LR finder, Adam against SGD, the activations' statistics.
import Shared

/// What `learn.lrFind()` found.
var found: LRFindResult!
/// The two runs of "SGD against Adam".
var sgdRun: ComparisonRun!, adamRun: ComparisonRun!
/// The activation statistics of `learn`'s training.
var stats: ActivationStats!

/// Adam's rate in the comparison, far below SGD's since Adam scales steps by the gradients' size;
/// `lr_find` with AdamW shows the loss still falling steadily here.
let adamLR: Float = 3e-3

/// One training run of the comparison: its name, rate, results and how long it took.
struct ComparisonRun {
    let name: String
    let lr: Float
    let history: [(epoch: Int, training: Bool, loss: Float, accuracy: Float)]
    let losses: LossRecorder
    let seconds: Double
}

/// Trains a copy of `start` with `optFunc`'s optimiser on batches in the order `order` seeds, so the
/// runs of the comparison differ only in their optimiser.
func train(
    _ name: String, lr: Float, from start: Module, order: UInt64, _ ctx: StepContext,
    optFunc: @escaping ([Parameter], Float) -> Optimizer
) throws -> ComparisonRun {
    let model = simpleCNN()
    noGrad { for (p, q) in zip(model.parameters(), start.parameters()) { p.assign(q) } }
    let dls = DataLoaders(
        DataLoader(data.trainDS, bs: data.trainDL.bs, shuffle: true, workers: data.trainDL.workers, seed: order),
        data.validDL)
    let track = TrackResults(), losses = LossRecorder()
    // The page shows each fit's epochs as TrackResults' table, under the line below; the terminal
    // gets the lines, each marked with the optimiser, since the two fits' lines follow each other.
    ctx.print("\(name), lr \(cFormat("%g", Double(lr))):")
    track.write = { line in if !ctx.isQuiet { ctx.terminal.write("  \(name.padded(to: 5)) \(line)\n") } }
    let run = Learner(
        model, dls, lossFunc: crossEntropy, lr: lr,
        cbs: makeCallbacks(ctx, track: track) + [losses, OneCycleWithMomentum(lr)],
        optFunc: optFunc)
    let started = ProgressBar.monotonicSeconds()
    try run.fit(ctx.epochs)
    return ComparisonRun(
        name: name, lr: lr, history: track.history, losses: losses,
        seconds: ProgressBar.monotonicSeconds() - started)
}

/// The comparison as table rows: each run's last epoch and time.
func comparisonRows(_ runs: [ComparisonRun]) -> [[String]] {
    runs.map { run in
        let train = run.history.last { $0.training }, valid = run.history.last { !$0.training }
        func number(_ x: Float?) -> String { x.map { cFormat("%.4f", Double($0)) } ?? "-" }
        return [
            run.name, cFormat("%g", Double(run.lr)), number(train?.loss), number(train?.accuracy),
            number(valid?.loss), number(valid?.accuracy), cFormat("%.1f s", run.seconds)
        ]
    }
}

/// The LR finder, the optimisers' comparison and the activation statistics, as steps of `book`.
func addTrainingSteps(to book: Workbook) {
    book.step(
        "lr_find: a finder that puts everything back",
        explain: """
            Section 07's finder leaves the model trained on a schedule nobody wanted: a sweep of
            rates up to 10 that usually ends with the loss exploding. fastai's `learn.lr_find()` runs
            a sweep of the same kind (the rate grows exponentially from 1e-7 to 10 over at most 100
            batches, and it stops once the smoothed loss is four times its best) and then restores
            the weights, so the `fit` that follows starts where it would have. `lrFind` builds on the
            chapter's `LRFinder`: it copies the weights, runs the finder with only the callbacks that
            prepare batches and without validation (as fastai's), then copies the weights back, bit
            for bit, and puts back the optimiser, the rate, the callbacks and the loaders. With
            --quick the rate doubles every batch, so that the small set's batches reach 10.
            """,
        showing: ["Learner.lrFind"]
    ) { ctx in
        let before = learn.model.parameters().map { $0.toArray() }
        // With --quick the rate doubles every batch rather than growing by a fifth: fewer batches.
        found = try learn.lrFind(ctx.quick ? LRFinder(factor: 2) : LRFinder())
        let after = learn.model.parameters().map { $0.toArray() }
        ctx.print("\(found.lrs.count) batches, rates from \(found.lrs.first!) to \(found.lrs.last!)")
        ctx.print("the weights after lr_find equal those before:", after == before)
    }

    book.step(
        "The valley rule",
        explain: """
            fastai suggests a rate by its `valley` rule: smooth the losses, drop the first
            `num_it // 10` points (a tenth of the batches the sweep was planned for, however many it
            recorded) and the last five, find the longest stretch over which the losses keep
            falling, and take the rate about halfway along it — `start + len/3 + len/6` — where the
            loss is clearly dropping, well before the bottom, where training turns unstable.
            (`lr_find` in fastai returns `SuggestedLRs(valley=…)`; `minimum` and `steep` are its
            older rules.) The plot marks the suggestion; the lines below place it in the sweep.
            """,
        showing: ["LRSuggestion.valley"]
    ) { ctx in
        if let lr = found.suggestion, let index = found.suggestionIndex {
            ctx.print("suggested learning rate:", cFormat("%.2g", Double(lr)))
            let smooth = found.smoothedLosses
            if let lowest = smooth.indices.filter({ smooth[$0].isFinite }).min(by: { smooth[$0] < smooth[$1] }) {
                ctx.print(
                    "  batch \(index + 1) of \(found.lrs.count); the smoothed loss is lowest at batch \(lowest + 1),",
                    "lr \(cFormat("%.2g", Double(found.lrs[lowest])))")
            }
        } else {
            ctx.note("Too few batches ran for a suggestion: the data set is too small.")
        }
        try ctx.showPlot(found.plot(), name: "lr-find-valley.png")
    }

    book.step(
        "Adam",
        explain: """
            Adam is the optimiser fastai uses unless told otherwise. Each weight keeps two running
            averages: of its gradients (momentum, β1) and of their squares (β2). It steps along the
            first divided by the square root of the second, so a weight whose gradients are large or
            noisy takes smaller steps, and one with small, steady gradients larger ones. AdamW decays
            the weights apart from that scaling (fastai's default, `decouple_wd`). Like `SGD`, it updates
            the parameters in place inside `noGrad`. The tests check it against `torch.optim.Adam`
            and `AdamW`: after five steps the parameters agree to about 2e-7, relative.
            """,
        showing: ["Adam"]
    ) { _ in }

    book.step(
        "One cycle moves momentum too",
        explain: """
            fastai's `fit_one_cycle` moves Adam's β1 (which it calls `mom`) against the learning
            rate: 0.95 at the start, 0.85 at the peak rate, 0.95 again at the end. Large steps then
            come with little momentum. `OneCycleWithMomentum`, the chapter's `OneCycle` with one more
            line per batch, does this for any optimiser that has a `mom` (`HasMomentum`); SGD has
            none. It is not fastai's schedule, though: fastai's rate starts at `lr_max / 25` rather
            than a tenth of it and ends at `lr_max / 1e5` rather than 0, and fastai moves the rate
            and momentum along cosines, where here both follow the chapter's straight lines (the
            lines below: a tenth of 0.1 at the start, 0 at the end).
            """,
        showing: ["HasMomentum", "OneCycleWithMomentum"]
    ) { ctx in
        let cycle = OneCycleWithMomentum(ctx.lr)
        for pct: Float in [0, 0.125, 0.25, 0.5, 0.75, 1] {
            ctx.print("at \(pct): lr \(cFormat("%.4f", Double(cycle.lr(at: pct)))), mom \(cycle.mom(at: pct))")
        }
    }

    book.step(
        "SGD against Adam",
        explain: """
            The same budget for both: the same starting weights, the same batches in the same
            order, the same number of epochs and the one-cycle schedule; only the optimiser and its
            rate differ — SGD at the chapter's rate, AdamW with fastai's settings (β2 0.99, eps 1e-5,
            weight decay 0.01) at a rate suited to it. A `LossRecorder` keeps each batch's loss for
            the plot.
            """
    ) { ctx in
        let start = simpleCNN()
        let order = GlobalRandom.generator.next()
        sgdRun = try train("SGD", lr: ctx.lr, from: start, order: order, ctx) { SGD($0, lr: $1) }
        adamRun = try train("Adam", lr: adamLR, from: start, order: order, ctx) {
            Adam.adamW($0, lr: $1, beta2: 0.99, eps: 1e-5, wd: 0.01)
        }
        ctx.print("The last epoch of each:")
        ctx.table(
            ["optimiser", "lr", "train loss", "train acc", "valid loss", "valid acc", "time"],
            comparisonRows([sgdRun, adamRun]))
    }

    book.step(
        "Plot: SGD against Adam",
        explain: """
            The training loss of every batch, smoothed as fastai's `recorder.plot_loss()` smooths
            it. Where the curves part shows when each optimiser's way of stepping starts to matter;
            the gap at the end is what the same budget bought.
            """
    ) { ctx in
        var plot = LinePlot(title: "SGD against Adam", xLabel: "training batch", yLabel: "smoothed training loss")
        plot.xCounts = true
        plot.plot(sgdRun.losses.smoothedLosses, label: "SGD, lr \(sgdRun.lr)")
        plot.plot(adamRun.losses.smoothedLosses, label: "Adam, lr \(adamRun.lr)")
        try ctx.showPlot(plot, name: "sgd-vs-adam.png")
    }

    book.step(
        "Activation statistics",
        explain: """
            fastai's `ActivationStats` callback hooks every layer with parameters and records, for
            each training batch, the mean and standard deviation of the layer's output, the fraction
            near zero (at most 0.05), and a histogram (40 bins over 0 to 10, as fastai's). It goes
            into `learn`'s callbacks now, so the training that follows is recorded; its hooks come off
            when the fit ends. The chapter's hook (section 03) printed one line; these numbers show
            the whole training.
            """,
        showing: ["ActivationStats.beforeFit", "ActivationStats.summarize"]
    ) { _ in
        stats = ActivationStats()
        stats.learner = learn
        learn.cbs.append(stats)
    }
}

/// The steps after training: what `stats` recorded during `learn`'s fit.
func addActivationPlotSteps(to book: Workbook) {
    book.step(
        "Plot: means and standard deviations",
        explain: """
            One line per layer, one point per training batch. They do not stay flat, and need not.
            The last layer, `Linear`, outputs the scores: as the model learns, it grows more
            confident and spreads them apart, so over a long training that layer's standard
            deviation grows, as it should (the dozen batches of --quick are too few to show it). In
            the
            convolutions, a mean that dips for a stretch of batches and then recovers is a mild
            collapse: many activations fell to zero, usually around the peak of the one-cycle rate,
            and training brought them back. The bad picture is a rise followed by a crash towards
            zero that stays there: the activations collapsed, and training had to start over
            (fastbook chapter 13). After a ReLU, about half of the activations near zero is normal;
            far more means many units are dead. The table gives each layer's numbers at the first,
            the lowest and the last point.
            """
    ) { ctx in
        try ctx.showPlot(stats.plot(\.means, title: "Activation means", yLabel: "mean"), name: "activation-means.png")
        try ctx.showPlot(
            stats.plot(\.stds, title: "Activation standard deviations", yLabel: "std"), name: "activation-stds.png")
        func number(_ x: Float?) -> String { x.map { cFormat("%.2f", Double($0)) } ?? "-" }
        let rows = stats.layers.map { layer -> [String] in
            let lowest = layer.means.indices.min { layer.means[$0] < layer.means[$1] }
            return [
                layer.name, number(layer.means.first),
                lowest.map { "\(number(layer.means[$0])) (batch \($0 + 1))" } ?? "-",
                number(layer.means.last), number(layer.stds.first), number(layer.stds.last)
            ]
        }
        ctx.table(["layer", "mean: first", "lowest", "last", "std: first", "last"], rows)
        let last = stats.layers.map { cFormat("%.0f%%", Double(100 * ($0.nearZero.last ?? .nan))) }
        ctx.print("near zero in the last batch, layer by layer:", last.joined(separator: " "))
    }

    book.step(
        "The colorful dimension",
        explain: """
            The histograms of every batch side by side, one panel per layer: batches run left to
            right, activation sizes from 0 (bottom) to 10 (top), and the colour is the logarithm of
            how many activations fell in each bin (yellow most, dark purple none). fastai draws this
            with `color_dim`. A smooth band of colour spreading upwards is what good training looks
            like; everything squashed into the bottom row means most activations are zero.
            """
    ) { ctx in
        try ctx.showPicture(stats.colorfulDimension(), name: "colorful-dimension.png", title: "The colorful dimension")
    }
}
