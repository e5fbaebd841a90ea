// Further research 2 asks to use your batchnorm in your resnet18: `swift run resnet18-batchnorm`
// trains exercise R1's resnet18 with exercise R2's BatchNorm2d as its normalisation layer, with the
// chapter's Learner on the built-in quick data set (or `--data PATH`, a folder in Imagenette's layout).
// It is the one program that links two exercises; each exercise's checks still stand alone.
import ArgumentParser
import ExerciseR1
import ExerciseR2
import Foundation
import Shared

struct ResNet18WithBatchNorm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resnet18-batchnorm", abstract: "Train your resnet18 with your BatchNorm2d (exercises R1 and R2).")

    @Option(help: "Epochs.") var epochs = 3
    @Option(help: "resnet18's width (channels of its first stage; 64 is the standard network).") var width = 16
    @Option(help: "Peak learning rate of the one-cycle schedule.") var lr: Float = 0.1
    @Option(help: "A folder in Imagenette's layout (default: the built-in quick set).") var data: String?

    func run() throws {
        let images = try ImagenetteData(Workbook.Settings(data: data, quick: data == nil))
        print("\(images.path.path): \(images.trainDS.count) training, \(images.validDS.count) validation images")
        GlobalRandom.manualSeed(0)
        var norms: [BatchNorm2d] = []
        let model = resnet18(numClasses: images.lbls.count, width: width) { channels in
            let layer = BatchNorm2d(channels)
            norms.append(layer)
            return layer
        }
        print(
            "resnet18 (width \(width)) with \(norms.count) BatchNorm2d layers: "
                + "\(model.parameters().map(\.count).reduce(0, +)) parameters")
        let learn = Learner(
            model, images.dls, lossFunc: crossEntropy, lr: lr,
            cbs: [SetupLearnerCB(tfmX: images.tfmX), OneCycle(lr), TrackResults()])
        try learn.fit(epochs)
        let first = norms[0]
        print(
            "the stem's batchnorm kept these running means: "
                + first.runningMean.toArray().prefix(4).map { cFormat("%.3f", Double($0)) }.joined(separator: ", ")
                + ", …")
    }
}

ResNet18WithBatchNorm.main()
