// Shows exercise R6 at work: `swift run exercise-R6` trains the chapter's simple CNN twice with the
// Learner on the built-in quick data set (or `--data PATH`, a folder in Imagenette's layout), once
// with plain one-cycle SGD and once with your SAM around the same optimiser, and prints the
// validation results and the time each took (SAM runs the model twice per batch). `--help` lists
// the options.
import ArgumentParser
import ExerciseR6
import Foundation
import Shared

struct CompareWithSAM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise-R6", abstract: "Train simpleCNN with SGD, then with SAM around SGD, and compare.")

    @Option(help: "Epochs for each run.") var epochs = 3
    @Option(help: "Peak learning rate of the one-cycle schedule.") var lr: Float = 0.1
    @Option(help: "SAM's neighbourhood radius ρ.") var rho: Float = 0.05
    @Option(help: "A folder in Imagenette's layout (default: the built-in quick set).") var data: String?

    func run() throws {
        let images = try ImagenetteData(Workbook.Settings(data: data, quick: data == nil))
        print("\(images.path.path): \(images.trainDS.count) training, \(images.validDS.count) validation images")
        let plain = try train("SGD", extra: [], images)
        let sam = try train("SAM (ρ = \(rho)) around SGD", extra: [SAM(rho: rho)], images)
        print("\n                 validation loss  accuracy  seconds")
        for (name, result) in [("SGD", plain), ("SAM + SGD", sam)] {
            print(
                name.padding(toLength: 17, withPad: " ", startingAt: 0)
                    + cFormat("%.4f", Double(result.loss)).padding(toLength: 17, withPad: " ", startingAt: 0)
                    + cFormat("%.4f", Double(result.accuracy)).padding(toLength: 10, withPad: " ", startingAt: 0)
                    + cFormat("%.1f", result.seconds))
        }
    }

    /// Fits a fresh simpleCNN with one-cycle SGD and the `extra` callbacks; returns the last
    /// validation loss and accuracy, and the time taken.
    func train(_ name: String, extra: [LearnerCallback], _ images: ImagenetteData) throws -> (
        loss: Float, accuracy: Float, seconds: Double
    ) {
        GlobalRandom.manualSeed(0)
        print("\n\(name):")
        let track = TrackResults()
        let learn = Learner(
            simpleCNN(), images.dls, lossFunc: crossEntropy, lr: lr,
            cbs: [SetupLearnerCB(tfmX: images.tfmX), OneCycle(lr)] + extra + [track])
        let start = ProgressBar.monotonicSeconds()
        try learn.fit(epochs)
        let last = track.history.last { !$0.training }
        return (last?.loss ?? .nan, last?.accuracy ?? 0, ProgressBar.monotonicSeconds() - start)
    }
}

CompareWithSAM.main()
