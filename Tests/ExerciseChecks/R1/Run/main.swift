// Shows exercise R1 at work: `swift run -c release exercise-R1` trains simpleCNN and resnet18 with the
// chapter's Learner on the same data, for the same epochs and schedule, and prints both validation
// accuracies. Its resnet18 normalises with `LayerNorm2d` (below): exercise R2's batchnorm is the usual
// choice, and R2 shows how to use it here. The data: a folder in Imagenette's layout (`--data PATH`), the workbook's small built-in
// set (`--quick`), or by default a synthetic set made from tensors. `--help` lists the options.
import ArgumentParser
import ExerciseR1
import Foundation
import Shared

struct CompareModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise-R1",
        abstract: "Train simpleCNN and resnet18 with the Learner on the same data and compare validation accuracy.")

    @Option(help: "Epochs for each model.") var epochs = 2
    @Option(help: "resnet18's width (channels of its first stage; 64 is the standard network).") var width = 64
    @Option(help: "Peak learning rate of the one-cycle schedule, for both models.") var lr: Float = 0.1
    @Option(help: "Batch size.") var bs = 64
    @Option(help: "A folder in Imagenette's layout (train/<class>/…, val/<class>/…), e.g. the built-in stand-in.")
    var data: String?
    @Flag(help: "Use the workbook's quick built-in set (30 training and 12 validation images per class).")
    var quick = false
    @Option(
        help:
            "Use the built-in stand-in for Imagenette drawn with this many training images per class (and 40% as many for validation), kept in ~/.fastai/data."
    )
    var builtin: Int?
    @Option(help: "Synthetic set: training images (a quarter as many again for validation).") var images = 2000
    @Option(help: "Side of the synthetic images, in pixels.") var size = 64
    @Option(help: "Random seed for data and weights.") var seed: UInt64 = 0

    func run() throws {
        let (dls, setup) = try loadData()
        let simple = try train("simpleCNN", simpleCNN(), dls, setup)
        let resnet = try train(
            "resnet18 (width \(width), layer norm)", resnet18(numClasses: 10, width: width, norm: { LayerNorm2d($0) }),
            dls, setup)
        print(
            "\nvalidation accuracy after \(epochs) epochs: simpleCNN \(cFormat("%.4f", Double(simple)))"
                + ", resnet18 \(cFormat("%.4f", Double(resnet)))")
    }

    /// The loaders, and the callback that prepares batches (normalise, NHWC → NCHW) for image files.
    func loadData() throws -> (DataLoaders, SetupLearnerCB?) {
        guard data != nil || quick || builtin != nil else {
            print(
                "Synthetic stripes: \(images) training and \(images / 4) validation images of 3×\(size)×\(size), 10 classes."
            )
            return (syntheticStripes(train: images, valid: images / 4, bs: bs, size: size, seed: seed), nil)
        }
        GlobalRandom.manualSeed(seed)
        let path: URL
        if let builtin, data == nil {
            let folder = FastaiPaths.data.appendingPathComponent("imagenette2-160-builtin-\(builtin)")
            path = try BuiltinDataset.ensure(
                at: folder, trainPerClass: builtin, validPerClass: Swift.max(1, builtin * 2 / 5))
        } else {
            path = try resolveDataPath(explicit: data, quick: quick)
        }
        let files = try getImageFiles(path)
        let v2i = files.map(\.parentName).unique().val2idx()
        let trainFilt = files.map { $0.grandparentName == "train" }
        let workers = Swift.min(16, ProcessInfo.processInfo.activeProcessorCount)
        let trainDL = DataLoader(ImageDataset(files[trainFilt], val2idx: v2i), bs: bs, shuffle: true, workers: workers)
        let validDL = DataLoader(ImageDataset(files[~trainFilt], val2idx: v2i), bs: 256, workers: workers)
        let norm = Normalize(batchStats(try first(trainDL).x))
        print("\(path.path): \(trainDL.dataset.count) training and \(validDL.dataset.count) validation images, 64×64.")
        return (DataLoaders(trainDL, validDL), SetupLearnerCB(tfmX: { tfmX($0, norm) }))
    }

    /// Fits `model` with one-cycle SGD and returns the last validation accuracy.
    func train(_ name: String, _ model: Module, _ data: DataLoaders, _ setup: SetupLearnerCB?) throws -> Float {
        GlobalRandom.manualSeed(seed)
        print("\n\(name): \(model.parameters().map(\.count).reduce(0, +)) parameters")
        let track = TrackResults()
        let learn = Learner(
            model, data, lossFunc: crossEntropy, lr: lr, cbs: (setup.map { [$0] } ?? []) + [OneCycle(lr), track])
        let start = ProgressBar.monotonicSeconds()
        try learn.fit(epochs)
        print("\(name): \(cFormat("%.1f", ProgressBar.monotonicSeconds() - start)) s")
        return track.history.last { !$0.training }?.accuracy ?? 0
    }
}

/// Layer normalisation for images: each image is standardised over its channels, height and width
/// together (mean 0, variance 1), then scaled and shifted per channel by learnable weights. Unlike
/// batchnorm it needs no batch statistics, so it behaves the same in training and evaluation.
///
/// x: [N, C, H, W] → [N, C, H, W]
final class LayerNorm2d: Module {
    let weight: Parameter, bias: Parameter
    init(_ channels: Int) {
        weight = Parameter(Tensor.ones([1, channels, 1, 1]))
        bias = Parameter(Tensor.zeros([1, channels, 1, 1]))
        super.init()
    }
    override func forward(_ x: Tensor) -> Tensor {
        let mean = x.mean(1, 2, 3, keepDim: true)
        let variance = (x - mean).pow(2).mean(1, 2, 3, keepDim: true)
        return (x - mean) / (variance + 1e-5).sqrt() * weight + bias
    }
}

/// A learnable image set made from tensors: each image is a pattern of stripes, the class says which
/// of 5 directions (0°, 36°, …, 144°) and which of 2 spacings (8 or 16 pixels per period) they have;
/// the phase, the colour of each image and the noise (σ = 0.8 on stripes of amplitude 1) are random.
/// Telling 36° apart through the noise takes real features, so it separates models, unlike a set
/// of flat colours.
///
/// → training and validation `InMemoryBatches`, x: [n, 3, size, size], y: [n] class indices.
func syntheticStripes(train: Int, valid: Int, bs: Int, size: Int, seed: UInt64) -> DataLoaders {
    var g = SeededGenerator(seed: seed)
    func images(_ n: Int) -> (Tensor, Tensor) {
        var labels = [Float]()
        let x = Tensor(shape: [n, 3, size, size]) { out in
            for i in 0..<n {
                let c = Int(g.next() % 10)
                labels.append(Float(c))
                let angle = Float(c % 5) * .pi / 5, period: Float = c < 5 ? 8 : 16
                let (dx, dy) = (cos(angle) * 2 * .pi / period, sin(angle) * 2 * .pi / period)
                let phase = g.nextUniform() * 2 * .pi
                let colour = (0..<3).map { _ in g.nextUniform() * 2 - 1 }
                var noise = [Float](repeating: 0, count: 3 * size * size)
                noise.withUnsafeMutableBufferPointer { g.fillNormal($0, std: 0.8) }
                for y in 0..<size {
                    for x in 0..<size {
                        let wave = sin(Float(x) * dx + Float(y) * dy + phase)
                        for ch in 0..<3 {
                            let k = (ch * size + y) * size + x
                            out[i * 3 * size * size + k] = wave * colour[ch] + noise[k]
                        }
                    }
                }
            }
        }
        return (x, Tensor(labels, shape: [n]))
    }
    let (xt, yt) = images(train), (xv, yv) = images(valid)
    return DataLoaders(InMemoryBatches(x: xt, y: yt, bs: bs), InMemoryBatches(x: xv, y: yv, bs: 256))
}

CompareModels.main()
