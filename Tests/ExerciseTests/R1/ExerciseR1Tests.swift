import ExerciseR2
import ExerciseSupport
import Shared
import Testing

@testable import ExerciseR1

@Suite("Exercise R1: resnet18 from scratch", .exercise("R1"))
struct ExerciseR1Tests {
    /// resnet18's trainable parameters for `width` and `classes`, counted from its definition:
    /// stem conv + bn, two blocks per stage (two 3×3 convs and two bns each), a 1×1 conv + bn shortcut
    /// in the first block of stages 2–4, and the linear layer.
    func expectedParameters(width w: Int, classes k: Int) -> Int {
        var total = 27 * w + 2 * w
        var ni = w
        for stage in 0..<4 {
            let nf = w << stage
            total += 9 * ni * nf + 9 * nf * nf + 4 * nf  // first block
            if stage > 0 { total += ni * nf + 2 * nf }  // its shortcut
            total += 18 * nf * nf + 4 * nf  // second block
            ni = nf
        }
        return total + ni * k + k
    }

    func count(_ m: Module) -> Int { m.parameters().map(\.count).reduce(0, +) }

    @Test func standardWidthHasElevenMillionParameters() throws {
        let model = try answer { resnet18(nClasses: 10, width: 64) }
        #expect(count(model) == 11_173_962)
        #expect(count(model) == expectedParameters(width: 64, classes: 10))
    }

    @Test func narrowVersionCountAndShape() throws {
        GlobalRandom.manualSeed(0)
        let (model, out) = try answer {
            let model = resnet18(nClasses: 7, width: 8)
            return (model, model(Tensor.randn([2, 3, 64, 64])))
        }
        #expect(count(model) == expectedParameters(width: 8, classes: 7))
        #expect(out.shape == [2, 7])
        // 17 convolutions plus 3 shortcuts, each followed by a batchnorm.
        var bns = 0
        func walk(_ m: Module) {
            if m is BatchNorm { bns += 1 }
            m.children.forEach(walk)
        }
        walk(model)
        #expect(bns == 20)
    }

    @Test func blocksKeepOrChangeTheShape() throws {
        let (same, down) = try answer {
            (BasicBlock(8, 8)(Tensor.randn([2, 8, 6, 6])), BasicBlock(8, 16, stride: 2)(Tensor.randn([2, 8, 6, 6])))
        }
        #expect(same.shape == [2, 8, 6, 6])
        #expect(down.shape == [2, 16, 3, 3])
        // The final ReLU: nothing negative leaves a block.
        #expect(same.toArray().allSatisfy { $0 >= 0 })
    }

    @Test func aFewEpochsWithTheLearnerLowerTheLoss() throws {
        // Two classes of 16×16 images: brighter on the left half, or on the right.
        var g = SeededGenerator(seed: 9)
        let n = 64
        let y = Tensor((0..<n).map { Float($0 % 2) }, shape: [n])
        let x = Tensor(shape: [n, 3, 16, 16]) { out in
            g.fillNormal(out, std: 0.5)
            for i in 0..<n {
                for c in 0..<3 {
                    for r in 0..<16 {
                        for col in (i % 2 == 0 ? 0..<8 : 8..<16) { out[((i * 3 + c) * 16 + r) * 16 + col] += 1 }
                    }
                }
            }
        }
        let data = DataLoaders(InMemoryBatches(x: x, y: y, bs: 16), InMemoryBatches(x: x, y: y, bs: 64))
        GlobalRandom.manualSeed(3)
        let track = TrackResults()
        track.write = { _ in }
        try answer {
            let learn = Learner(resnet18(nClasses: 2, width: 4), data, lossFunc: crossEntropy, lr: 0.05, cbs: [track])
            learn.showProgress = false
            try learn.fit(3)
        }
        let train = track.history.filter(\.training)
        #expect(train.count == 3)
        #expect(train.last!.loss < train.first!.loss)
    }
}
