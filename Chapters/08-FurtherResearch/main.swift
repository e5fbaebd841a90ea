// "Further research": know what you built, train it well, keep it, ask it about a photo, repeat a run.
import Foundation
import Shared

// `swift run 08-FurtherResearch --predict photo.jpg` classifies one image with the saved model and
// skips the steps.
if PredictCommand.isRequested(Array(CommandLine.arguments.dropFirst())) {
    exit(PredictCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
}

let book = Workbook(
    title: "08 · Further research",
    about: """
        The chapter ends by asking you to pick features from fastai and build them. This section
        builds the ones everyone wants next: a summary of the model, a better LR finder, Adam,
        activation statistics, saving and loading weights in a file PyTorch can read, predicting
        the class of one photo, and seeds for repeatable runs.
        """,
    epochs: 4, lr: 0.1)

/// The loaders and normaliser of the Dataset section.
var data: ImagenetteData!
/// The simple CNN's learner; made untrained in "A learner", trained in "Train".
var learn: Learner!
/// The training results of `learn`'s fit.
var results: TrackResults!
/// Where "Save" wrote the model.
var savedFile: URL!
/// The classes and statistics that travel with the saved weights.
var info: ImageClassifierInfo!
/// A second learner, which "Load" fills from the file.
var loaded: Learner!

/// Every learner's callbacks here: batches moved and normalised, a line per epoch.
func makeCallbacks(_ ctx: StepContext, track: TrackResults = TrackResults()) -> [LearnerCallback] {
    [SetupLearnerCB(device: ctx.device, tfmX: data.tfmX), track]
}

/// The fraction of validation images `model` classifies correctly.
func validationAccuracy(_ model: Module) throws -> Float {
    var correct = 0, total = 0
    var batches = data.validDL.batches()
    while let (xb, yb) = try batches.next() {
        let preds = noGrad { model(data.tfmX(xb.to(model.device))) }
        correct += Int((preds.argmax(axis: 1) == yb.to(model.device)).sum().item())
        total += xb.shape[0]
    }
    return Float(correct) / Float(max(total, 1))
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
    explain: """
        The simple CNN of section 03 in a Learner, with the one-cycle schedule of section 07.
        Nothing is trained yet: the next steps look at the model first.
        """
) { ctx in
    results = TrackResults()
    learn = Learner(
        simpleCNN(), data.dls, lossFunc: crossEntropy, lr: ctx.lr,
        cbs: makeCallbacks(ctx, track: results) + [OneCycleWithMomentum(ctx.lr)])
}

book.step(
    "summary(): know what you built",
    explain: """
        fastai's `learn.summary()` runs one batch through the model with a hook on every layer
        and tabulates what each layer outputs and how many parameters it has; this one adds the
        multiply-adds, the usual measure of how much computing a model costs (`torchinfo` prints
        the same column).

        Read the shapes down the table: each stride-2 ConvLayer halves the picture and widens the
        channels, the pool averages the 4×4 away, and the Linear layer turns 128 features into
        10 scores. Most parameters sit in the last convolution (64 × 128 × 3 × 3 weights), but
        the work is spread evenly over the last three: each has fewer positions than the one
        before and more channels.
        """,
    showing: ["ConvLayer.multiplyAdds"]
) { ctx in
    ctx.print(learn.summary(data.tfmX(data.xb)))
}

// Steps from TrainingSteps.swift: lr_find, Adam against SGD, and the activation-statistics callback.
addTrainingSteps(to: book)

book.step(
    "Train",
    explain: "One-cycle training of `learn`: the model the next steps save, load and ask about images."
) { ctx in
    try learn.fit(ctx.epochs)
}

// Steps from TrainingSteps.swift: what the activation statistics recorded during "Train".
addActivationPlotSteps(to: book)

book.step(
    "learn.save: keep what you trained",
    explain: """
        Every run so far started from random weights and threw the trained ones away. fastai's
        `learn.save('stage1')` writes them to `models/stage1.pth` beside the data; this one writes
        `models/stage1.safetensors`.

        Safetensors is the format Hugging Face made to replace PyTorch's pickles: a little JSON
        header (each tensor's name, dtype, shape and byte range) and then the raw float32 numbers.
        Loading it cannot run code, which a pickle can. The names are those PyTorch's
        `state_dict()` gives the same network built as fastai would (`0.0.weight` is the first
        ConvLayer's convolution, `5.weight` the Linear layer), so PyTorch can load the file.

        The header's metadata also carries the class names and the normalisation statistics:
        without them the weights cannot classify a new photo (fastai's `learn.export()` keeps them
        in its pickle). The file is written under a temporary name and renamed, so a save that is
        interrupted leaves the previous one intact.
        """,
    showing: ["Learner.save"]
) { ctx in
    info = ImageClassifierInfo(data)
    savedFile = try learn.save("stage1", path: data.path, metadata: info.metadata)
    let names = learn.model.stateDict().keys.sorted()
    ctx.print("wrote \(savedFile.path)")
    ctx.print("\(names.count) tensors:", names.joined(separator: " "))
    ctx.note(
        """
        In PyTorch, with the model built as nn.Sequential the same way (see
        Tests/SharedTests/Fixtures/make_safetensors_fixtures.py):
        model.load_state_dict(safetensors.torch.load_file("\(savedFile.path)"))
        """)
}

book.step(
    "learn.load: pick up where you left off",
    explain: """
        A new learner starts from new random weights; `learn.load('stage1')` replaces them with
        the saved ones. Everything is checked before the first weight changes — every tensor
        present, float32, with the shape the model expects, and nothing extra — so a damaged file
        gives an error naming the tensor and leaves the model as it was.
        """
) { ctx in
    loaded = Learner(simpleCNN(), data.dls, lossFunc: crossEntropy, lr: ctx.lr, cbs: makeCallbacks(ctx))
    ctx.print("fresh model:  validation accuracy", cFormat("%.4f", Double(try validationAccuracy(loaded.model))))
    try loaded.load("stage1", path: data.path)
    ctx.print("after load:   validation accuracy", cFormat("%.4f", Double(try validationAccuracy(loaded.model))))
    let trained = results.history.last { !$0.training }!.accuracy
    ctx.print("after training (TrackResults, last epoch):", cFormat("%.4f", Double(trained)))
    let same = zip(learn.model.parameters(), loaded.model.parameters()).allSatisfy { $0.toArray() == $1.toArray() }
    ctx.print("weights identical to the trained model's:", same)
}

book.step(
    "A damaged file",
    explain: """
        What a learner meets sooner or later: a download cut short, a file from another model.
        Here the saved file is copied without its last 100 bytes and loaded.
        """
) { ctx in
    let damaged = savedFile.deletingLastPathComponent().appendingPathComponent("damaged.safetensors")
    try Data(try Data(contentsOf: savedFile).dropLast(100)).write(to: damaged)
    defer { try? FileManager.default.removeItem(at: damaged) }
    do {
        try loaded.model.load(from: damaged)
    } catch {
        ctx.print("error:", error.localizedDescription)
    }
    let unchanged = zip(learn.model.parameters(), loaded.model.parameters()).allSatisfy { $0.toArray() == $1.toArray() }
    ctx.print("weights still those of stage1:", unchanged)
}

book.step(
    "learn.predict: ask about one image",
    explain: """
        fastai's `learn.predict(img)` gives the class, its index and the probability of every
        class. The image is opened and squeezed to 64×64 as the training images were, normalised
        with the training statistics, and run through the model in evaluation mode; softmax turns
        the ten scores into probabilities. Imagenette's folders are WordNet ids (n01440764);
        `ImagenetteClasses` knows their names (tench).
        """,
    showing: ["Prediction.init"]
) { ctx in
    let file = data.validDS.files[data.validDS.count / 2]
    let started = Date()
    let prediction = try learn.predict(file.path, info: info)
    let seconds = Date().timeIntervalSince(started)
    try ctx.showThumbnail(file.path)
    ctx.print(
        "\(file.lastPathComponent), in the folder \(file.parentName) (\(ImagenetteClasses.name(of: file.parentName))):")
    ctx.print(prediction.report(top: 3))
    ctx.print("predicted in \(cFormat("%.1f", seconds * 1000)) ms")
}

book.step(
    "--predict: your own photo",
    explain: """
        The same from the command line, for any JPEG or PNG:

            swift run 08-FurtherResearch --predict photo.jpg

        It skips the steps, loads models/stage1.safetensors (weights, classes and statistics all
        come from the file; `--model FILE` picks another) and prints the top 3. Trained on the
        built-in stand-in's drawn shapes, the model has never seen a photo, so expect confident
        nonsense on one; with the real Imagenette (`--data`) it learns real classes. Here is the
        command run on a validation image:
        """
) { ctx in
    let file = data.validDS.files[0]
    let status = PredictCommand.run(
        arguments: ["--predict", file.path, "--model", savedFile.path], preview: false, out: { ctx.print($0) },
        err: { ctx.print($0) })
    ctx.print("exit status", status)
}

book.step(
    "--seed: the same run twice",
    explain: """
        Every random number here — initial weights, the order of the shuffled batches — comes
        from one seeded generator (`GlobalRandom`, PyTorch's `torch.manual_seed`). Every chapter
        takes `--seed N` (default 42, what the chapters have always used): the same seed repeats a
        CPU run to the last digit, another seed shows how much of a difference is luck. fastai
        spells it `set_seed(42)`. The built-in images are drawn from a seed of their own and do
        not change with `--seed`.

        Below, three fresh models take five SGD steps on the same batch: two from seed 1, one from
        seed 2.
        """
) { ctx in
    func fiveSteps(seed: UInt64) -> [Float] {
        GlobalRandom.manualSeed(seed)
        let model = simpleCNN()
        model.to(ctx.device)
        let opt = SGD(model.parameters(), lr: ctx.lr)
        let x = data.tfmX(data.xb.to(ctx.device)), y = data.yb.to(ctx.device)
        return (0..<5).map { _ in
            let loss = crossEntropy(model(x), y)
            loss.backward()
            opt.step()
            return loss.item()
        }
    }
    for seed: UInt64 in [1, 1, 2] {
        ctx.print("seed \(seed):", fiveSteps(seed: seed).map { cFormat("%.7f", Double($0)) }.joined(separator: " "))
    }
}

book.run()
