// Shows exercise R1 at work: `swift run -c release exercise-R1` trains simpleCNN and resnet18 with the
// chapter's Learner on the same data, for the same epochs and schedule, and prints both validation
// accuracies. `--help` lists the options.
import ArgumentParser
import Foundation
import ExerciseR1
import Shared

struct CompareModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise-R1",
        abstract: "Train simpleCNN and resnet18 with the Learner on the same data and compare validation accuracy.")

    @Option(help: "Epochs for each model.") var epochs = 2
    @Option(help: "resnet18's width (channels of its first stage; 64 is the standard network).") var width = 64
    @Option(help: "Peak learning rate of the one-cycle schedule, for both models.") var lr: Float = 0.1
    @Option(help: "Batch size.") var bs = 64
    @Option(help: "Synthetic set: training images (a quarter as many again for validation).") var images = 2000
    @Option(help: "Side of the synthetic images, in pixels.") var size = 64
    @Option(help: "Random seed for data and weights.") var seed: UInt64 = 0

    func run() throws {
        let data = syntheticStripes(train: images, valid: images / 4, size: size, seed: seed)
        print("Synthetic stripes: \(images) training and \(images / 4) validation images of 3×\(size)×\(size), 10 classes.")
        let simple = try train("simpleCNN", simpleCNN(), data)
        let resnet = try train("resnet18 (width \(width))", resnet18(nClasses: 10, width: width), data)
        print("\nvalidation accuracy after \(epochs) epochs: simpleCNN \(cFormat("%.4f", Double(simple)))"
              + ", resnet18 \(cFormat("%.4f", Double(resnet)))")
    }

    /// Fits `model` with one-cycle SGD and returns the last validation accuracy.
    func train(_ name: String, _ model: Module, _ data: DataLoaders) throws -> Float {
        GlobalRandom.manualSeed(seed)
        print("\n\(name): \(model.parameters().map(\.count).reduce(0, +)) parameters")
        let track = TrackResults()
        let learn = Learner(model, data, lossFunc: crossEntropy, lr: lr, cbs: [OneCycle(lr), track])
        let start = ProgressBar.monotonicSeconds()
        try learn.fit(epochs)
        print("\(name): \(cFormat("%.1f", ProgressBar.monotonicSeconds() - start)) s")
        return track.history.last { !$0.training }?.accuracy ?? 0
    }
}

/// A learnable image set made from tensors: each image is a pattern of stripes, the class says which
/// of 5 directions (0°, 36°, …, 144°) and which of 2 spacings (8 or 16 pixels per period) they have;
/// the phase, the colour of each image and the noise (σ = 0.8 on stripes of amplitude 1) are random.
/// Telling 36° apart through the noise takes real features, so it separates models, unlike a set
/// of flat colours.
///
/// → training and validation `InMemoryBatches`, x: [n, 3, size, size], y: [n] class indices.
func syntheticStripes(train: Int, valid: Int, size: Int, seed: UInt64) -> DataLoaders {
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
    return DataLoaders(InMemoryBatches(x: xt, y: yt, bs: 64), InMemoryBatches(x: xv, y: yv, bs: 256))
}

CompareModels.main()
