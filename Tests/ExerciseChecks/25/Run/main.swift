// Shows exercise 25 at work: `swift run exercise-25`. The plain finder and the workbook's LRFinder
// run on the same data from the same seed; their records should be the same.
import Exercise25
import Shared

/// A small learnable problem in memory: the class of a point is which of its 8 coordinates is largest.
func data() -> DataLoaders {
    var g = SeededGenerator(seed: 7)
    let x = Tensor.randn([2048, 8], using: &g)
    let y = x.argmax(axis: 1)
    return DataLoaders(InMemoryBatches(x: x, y: y, bs: 32), InMemoryBatches(x: x, y: y, bs: 256))
}

func run(_ finder: LearnerCallback) throws {
    GlobalRandom.manualSeed(1)
    let learn = Learner(
        Sequential(Linear(8, 32), ReLULayer(), Linear(32, 8)), data(), lossFunc: crossEntropy,
        lr: 0.1, cbs: [finder])
    learn.showProgress = false
    try learn.fit(2)
}

/// ReLU as a layer, for the little model above.
final class ReLULayer: Module {
    override func forward(_ x: Tensor) -> Tensor { x.relu() }
}

let plain = PlainLRFinder()
let workbook = LRFinder()
try run(plain)
try run(workbook)
print("batch  lr            loss (plain)  loss (LRFinder)")
for i in stride(from: 0, to: plain.lrs.count, by: 5) {
    let theirs = i < workbook.losses.count ? cFormat("%.4f", Double(workbook.losses[i])) : "-"
    print(
        String(i).padding(toLength: 7, withPad: " ", startingAt: 0)
            + cFormat("%.3e", Double(plain.lrs[i])).padding(toLength: 14, withPad: " ", startingAt: 0)
            + cFormat("%.4f", Double(plain.losses[i])).padding(toLength: 14, withPad: " ", startingAt: 0) + theirs)
}
print(
    "Both stopped after \(plain.lrs.count) and \(workbook.lrs.count) training batches; identical records: \(plain.lrs == workbook.lrs && plain.losses == workbook.losses)"
)
