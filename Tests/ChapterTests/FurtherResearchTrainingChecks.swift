import Foundation
import Testing

/// The checkpoints of 08's training steps (Chapters/08-FurtherResearch/TrainingSteps.swift) in the
/// output of a `--quick` run: lr_find restored the weights and suggested a rate it tried, momentum
/// cycles, the SGD-against-Adam table agrees with the epoch lines above it, the activation statistics
/// are fractions, and every picture was written as a PNG of the expected size.
func checkTrainingSteps(_ out: String, outputFolder: URL) {
    #expect(out.contains("the weights after lr_find equal those before: true"))
    // Output lines only: the code shown above each step's output contains the same words.
    func printed(_ prefix: String) -> [Double] {
        out.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0).numbers } ?? []
    }
    let sweep =
        out.split(separator: "\n").first { $0.first?.isNumber == true && $0.contains("batches, rates from") }
        .map { String($0).numbers } ?? []
    #expect(sweep.count == 3, "\(sweep)")
    if sweep.count == 3 {
        // --quick doubles the rate from 1e-6 each batch: 2e-6 … 8.4 is 23 batches, fewer on a NaN.
        #expect((10...23).contains(Int(sweep[0])) && sweep[1] == 2e-6 && sweep[2] <= 10)
        let suggested = printed("suggested learning rate:")
        #expect(suggested.count == 1 && suggested[0] > sweep[1] && suggested[0] < sweep[2], "\(suggested)")
    }
    #expect(out.contains("at 0.25: lr 0.1000, mom 0.85") && out.contains("at 1.0: lr 0.0000, mom 0.95"))

    // The table's training loss is the last epoch line's of the same run.
    for (name, lr) in [("SGD", 0.1), ("Adam", 0.003)] {
        let row = out.split(separator: "\n").first {
            $0.hasPrefix(name.padding(toLength: 11, withPad: " ", startingAt: 0))
        }
        let cells = row.map { String($0).numbers } ?? []
        #expect(cells.count == 6, "\(name): \(row ?? "no row")")
        guard cells.count == 6 else { continue }
        #expect(cells[0] == lr)
        #expect([cells[2], cells[4]].allSatisfy { (0...1).contains($0) }, "accuracies of \(name)")
        let lastEpoch = out.lines(containing: "true").filter { $0.hasPrefix("  \(name) ") }.last
        let epochNumbers = lastEpoch.map { String($0.dropFirst(8)).numbers } ?? []
        #expect(epochNumbers.count >= 3 && epochNumbers[1] == cells[1], "\(name): \(lastEpoch ?? "no epoch line")")
    }

    let nearZero = printed("near zero in the last batch")
    #expect(nearZero.count == 5 && nearZero.allSatisfy { (0...100).contains($0) }, "\(nearZero)")

    // PNG: an 8-byte signature, then the IHDR chunk with width and height, big-endian.
    let sizes = [
        "lr-find-valley.png": (640, 480), "sgd-vs-adam.png": (640, 480), "activation-means.png": (640, 480),
        "activation-stds.png": (640, 480), "colorful-dimension.png": (500, 780)
    ]
    for (name, size) in sizes {
        let bytes = (try? Data(contentsOf: outputFolder.appendingPathComponent(name))).map { [UInt8]($0) } ?? []
        #expect(bytes.count > 24 && bytes[1...3] == [0x50, 0x4E, 0x47], "\(name) is not a PNG")
        guard bytes.count > 24 else { continue }
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) },
            height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == size.0 && height == size.1, "\(name) is \(width)×\(height)")
    }
}
