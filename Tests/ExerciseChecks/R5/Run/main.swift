// Shows exercise R5 at work: `swift run exercise-R5` trains the chapter's simple CNN twice with the
// Learner on the built-in quick data set (or `--data PATH`, a folder in Imagenette's layout), once
// with plain cross entropy and once with your label smoothing, and prints validation accuracy and
// how confident each model is. `--help` lists the options.
import ArgumentParser
import ExerciseR5
import Foundation
import Shared

struct CompareLosses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise-R5",
        abstract: "Train simpleCNN with cross entropy, then with label smoothing, and compare.")

    @Option(help: "Epochs for each run.") var epochs = 3
    @Option(help: "Peak learning rate of the one-cycle schedule.") var lr: Float = 0.1
    @Option(help: "Label smoothing's ε.") var eps: Float = 0.1
    @Option(help: "A folder in Imagenette's layout (default: the built-in quick set).") var data: String?

    func run() throws {
        let images = try ImagenetteData(Workbook.Settings(data: data, quick: data == nil))
        print("\(images.path.path): \(images.trainDS.count) training, \(images.validDS.count) validation images")
        let smoothing = LabelSmoothingCrossEntropy(eps: eps)
        let plain = try train("cross entropy", crossEntropy, images)
        let smoothed = try train("label smoothing, ε = \(eps)", { smoothing($0, $1) }, images)
        print("\n                        accuracy  mean confidence (validation)")
        for (name, result) in [("cross entropy", plain), ("label smoothing", smoothed)] {
            print(
                name.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + cFormat("%.4f", Double(result.accuracy)) + "    " + cFormat("%.4f", Double(result.confidence)))
        }
        print("Label smoothing asks for less than certainty: compare how confident the two models are.")
    }

    /// Fits a fresh simpleCNN with `loss`; returns validation accuracy and the mean probability the
    /// model gives its predicted class.
    func train(_ name: String, _ loss: @escaping (Tensor, Tensor) -> Tensor, _ images: ImagenetteData) throws -> (
        accuracy: Float, confidence: Float
    ) {
        GlobalRandom.manualSeed(0)
        print("\n\(name):")
        let track = TrackResults()
        let learn = Learner(
            simpleCNN(), images.dls, lossFunc: loss, lr: lr,
            cbs: [SetupLearnerCB(tfmX: images.tfmX), OneCycle(lr), track])
        try learn.fit(epochs)
        learn.model.training = false
        var confidences: [Float] = []
        var batches = images.validDL.makeBatchIterator()
        while let (x, _) = try batches.next() {
            let p = noGrad { logSoftmax(learn.model(images.tfmX(x))).exp() }
            confidences.append(p.max(axis: 1).values.mean().item())
        }
        return (track.history.last { !$0.training }?.accuracy ?? 0, confidences.reduce(0, +) / Float(confidences.count))
    }
}

CompareLosses.main()
