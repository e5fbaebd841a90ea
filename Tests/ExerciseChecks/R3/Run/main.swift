// Shows exercise R3 at work: `swift run exercise-R3` trains a small model on a toy problem with and
// without Mixup, and shows what the blending does to a batch.
import ExerciseR3
import Shared

/// Points in 8 dimensions whose class is their largest coordinate.
func data() -> DataLoaders {
    var g = SeededGenerator(seed: 3)
    let x = Tensor.randn([1024, 8], using: &g), y = x.argmax(axis: 1)
    let xv = Tensor.randn([512, 8], using: &g), yv = xv.argmax(axis: 1)
    return DataLoaders(InMemoryBatches(x: x, y: y, bs: 32), InMemoryBatches(x: xv, y: yv, bs: 256))
}

/// Prints the first rows of each training batch's inputs once, after Mixup has blended them.
final class ShowFirstBatch: Callback {
    let mixup: Mixup
    var shown = false
    init(_ mixup: Mixup) { self.mixup = mixup }
    override func beforeBatch() throws {
        guard self.training, !shown else { return }
        shown = true
        let partner = mixup.partners.first.map { String($0) } ?? "? (partners not set)"
        print("first batch: λ = \(cFormat("%.3f", Double(mixup.lambda))); row 0 is blended with row \(partner)")
    }
}

for useMixup in [false, true] {
    GlobalRandom.manualSeed(1)
    let mixup = Mixup(alpha: 0.4, seed: 5)
    let track = TrackResults()
    let cbs: [LearnerCallback] = useMixup ? [mixup, ShowFirstBatch(mixup), track] : [track]
    let model = Sequential(Linear(8, 64), ReLUFunction(), Linear(64, 8))
    let learn = Learner(model, data(), lossFunc: crossEntropy, lr: 0.2, cbs: cbs)
    print(useMixup ? "\nwith Mixup (α = 0.4):" : "without Mixup:")
    try learn.fit(4)
}

/// ReLU as a layer.
final class ReLUFunction: Module {
    override func forward(_ x: Tensor) -> Tensor { x.relu() }
}
