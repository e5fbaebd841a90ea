// Section "Learner": the optimiser, the loaders together, and the training loop.
import Shared

let book = Workbook(
    title: "05 · Learner",
    about: """
        An optimiser, the two loaders as one object, and a Learner that runs batches through the
        model, the loss, backward and the optimiser — then train the simple CNN for real.
        """,
    epochs: 1, lr: 0.1)

var data: ImagenetteData!
var dls: DataLoaders!
var learn: Learner!

book.step(
    "Recap: the data",
    explain: """
        The loaders of the Dataset section: shuffled training batches of 128 and validation
        batches of 256, decoded by worker threads while the model trains.
        """
) { ctx in
    data = try ImagenetteData(ctx.settings)
    ctx.print("\(data.trainDS.count) training and \(data.validDS.count) validation images from \(data.path.path)")
}

book.step(
    "SGD",
    explain: """
        The optimiser keeps the parameters and a learning rate. `step()` moves each parameter
        against its gradient, with optional weight decay, then zeroes the gradient for the next
        batch, as the chapter's `step` does. PyTorch's `optimizer.step()` does not zero: there
        gradients add up until `zero_grad()` is called, and fastai's `Learner` calls
        `opt.zero_grad()` after each step, so code ported from either must zero the gradients
        somewhere, or every step uses the sum of all the gradients so far. Python's `store_attr()`
        copies the arguments into attributes; a Swift initialiser
        assigns its stored properties, which is the same thing spelled out. The update happens in
        place, outside the graph (`noGrad`), like the chapter's `p.data -= …`. `Optimizer` is the
        protocol the learner asks for, so an exercise can bring its own optimiser.
        """,
    showing: ["Optimizer", "SGD"]
) { ctx in
    let opt = SGD(simpleCNN().parameters(), lr: ctx.lr)
    ctx.print("SGD over \(opt.params.count) parameters, lr \(opt.lr), wd \(opt.wd)")
}

book.step(
    "DataLoaders",
    explain: """
        The learner wants the training and validation loaders together: a two-field struct.
        It holds them as `BatchProvider`s, so tensors already in memory can stand in for a
        DataLoader in tests and exercises.
        """,
    showing: ["DataLoaders"]
) { ctx in
    dls = DataLoaders(data.trainDL, data.validDL)
    ctx.print("len(dls.train) = \(dls.train.count) batches, len(dls.valid) = \(dls.valid.count) batches")
}

book.step(
    "Learner",
    explain: """
        `fit` calls `oneEpoch` for training and then for validation, epoch after epoch;
        `oneEpoch` sets the model's training flag and calls `oneBatch` for each batch; `oneBatch`
        computes predictions and loss and, only in training, backward and the optimiser step
        (question 29). Around each of these the learner sends events to its callbacks with
        `self(.beforeBatch)` — Swift's `callAsFunction` is Python's `__call__`.

        Two callbacks from the next section do the rest: `SetupLearnerCB` moves batches to the
        device and applies `tfmX`, and `TrackResults` prints loss and accuracy after each epoch.

        Two pieces of Swift a Python reader meets here. `lossFunc` and `optFunc` are marked
        `@escaping`: the learner keeps those functions to call later, after `init` has returned,
        and Swift assumes a function passed in is used only during the call unless told so.
        `defer { bar?.finish() }` in `oneEpoch` runs when the function leaves its scope, however
        it leaves — normally or by a thrown error — like the `finally` of a `try`.
        """,
    showing: ["Learner"]
) { ctx in
    let cbs: [LearnerCallback] = [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), TrackResults()]
    learn = Learner(simpleCNN(), dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: cbs)
    ctx.print("a Learner with \(learn.model.parameters().count) parameters and \(learn.cbs.count) callbacks")
}

book.step(
    "Events",
    explain: """
        The moments the learner calls its callbacks at, and what a callback is to the learner:
        something with six event methods, all doing nothing unless a callback writes its own.
        Python finds a callback's method by name with `getattr(cb, name, noop)` (question 27);
        Swift resolves methods when it compiles, so the events are a protocol with empty defaults.
        A callback stops training by throwing `CancelFitError`, which `fit` catches (question 28).
        """,
    showing: ["Event", "LearnerCallback", "CancelFitError"]
) { ctx in
    ctx.print(Event.allCases.map(\.rawValue).joined(separator: " → "))
}

book.step(
    "fit",
    explain: """
        Train! A progress bar follows each epoch's batches; after each pass TrackResults
        prints the epoch, whether it was training, the average loss and accuracy, and the time.
        Epoch 0's training average includes the first, untrained batches, whose loss is above
        ln 10 ≈ 2.303 (the Loss section showed why), so it can sit above ln 10 while the model
        is already learning. Once it learns, the loss falls below ln 10, the loss of guessing
        evenly among the ten classes. The quick set has only three batches an epoch, so there
        that takes a few epochs: try `--epochs 3`.
        """
) { ctx in
    try learn.fit(ctx.epochs)
}

book.run()
