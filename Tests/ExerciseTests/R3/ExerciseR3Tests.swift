import ExerciseSupport
import Shared
import Testing

@testable import ExerciseR3

/// Keeps what the model was given for each batch, and the loss, as the learner saw them.
final class BatchSpy: Callback {
    var inputs: [Tensor] = [], targets: [Tensor] = [], outputs: [Tensor] = [], losses: [Float] = []
    var modes: [Bool] = []
    override func afterBatch() throws {
        inputs.append(self.batch!.x)
        targets.append(self.batch!.y)
        outputs.append(self.preds!.detach())
        losses.append(self.loss!.item())
        modes.append(self.learner!.training)
    }
}

/// Keeps the original batch, before Mixup changes it, and Mixup's draws after it has.
final class BeforeMixup: Callback {
    var inputs: [Tensor] = [], targets: [Tensor] = []
    override func beforeBatch() throws {
        inputs.append(self.batch!.x)
        targets.append(self.batch!.y)
    }
}

final class AfterMixup: Callback {
    let mixup: Mixup
    var lambdas: [Float] = [], partners: [[Int]] = []
    init(_ mixup: Mixup) { self.mixup = mixup }
    override func beforeBatch() throws {
        lambdas.append(mixup.lambda)
        partners.append(mixup.partners)
    }
}

@Suite("Exercise R3: a Mixup callback", .exercise("R3"))
struct ExerciseR3Tests {
    func rows(_ t: Tensor, _ order: [Int]) -> Tensor { Tensor.stack(order.map { t[$0] }) }

    @Test func inputsAndTargetsAreConvexCombinations() throws {
        GlobalRandom.manualSeed(1)
        let mixup = Mixup(alpha: 0.4, seed: 11)
        let before = BeforeMixup(), after = AfterMixup(mixup), spy = BatchSpy()
        let learn = Learner(
            Sequential(Linear(4, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.1,
            cbs: [before, mixup, after, spy])
        learn.showProgress = false
        try answer { try learn.fit(1) }
        // 5 training batches, then 2 validation ones.
        #expect(spy.modes == [true, true, true, true, true, false, false])
        for b in 0..<5 {
            let (x, y, λ, order) = (before.inputs[b], before.targets[b], after.lambdas[b], after.partners[b])
            #expect(λ >= 0.5 && λ <= 1)
            #expect(order.sorted() == Array(0..<x.shape[0]))
            // The inputs the model saw: λ x + (1 − λ) x[partners].
            #expect(close(spy.inputs[b], x * λ + rows(x, order) * (1 - λ), 1e-5))
            #expect(spy.targets[b].toArray() == y.toArray())
            // The loss: cross entropy against λ · onehot(y) + (1 − λ) · onehot(y[partners]), by hand.
            let logp = logSoftmax(spy.outputs[b]).toArray()
            let labels = y.toArray().map(Int.init)
            var total: Float = 0
            for i in 0..<labels.count {
                var target = [Float](repeating: 0, count: 10)
                target[labels[i]] += λ
                target[labels[order[i]]] += 1 - λ
                total -= (0..<10).map { target[$0] * logp[i * 10 + $0] }.reduce(0, +)
            }
            #expect(close(spy.losses[b], total / Float(labels.count), 1e-4))
        }
        #expect(Set(after.lambdas.prefix(5)).count > 1, "λ should be drawn again for every batch")
    }

    @Test func validationIsLeftAloneAndTheLossComesBack() throws {
        GlobalRandom.manualSeed(1)
        let mixup = Mixup(alpha: 0.4, seed: 11)
        let before = BeforeMixup(), spy = BatchSpy()
        let learn = Learner(
            Sequential(Linear(4, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.1,
            cbs: [before, mixup, spy])
        learn.showProgress = false
        try answer { try learn.fit(1) }
        for b in 5..<7 {
            #expect(spy.inputs[b].toArray() == before.inputs[b].toArray())
            #expect(close(spy.losses[b], crossEntropy(spy.outputs[b], spy.targets[b]).item(), 1e-5))
        }
        // After the fit the learner has its own loss function back: plain cross entropy.
        let preds = Tensor.randn([3, 10]), y = Tensor([1, 2, 3], shape: [3])
        #expect(close(learn.lossFunc(preds, y).item(), crossEntropy(preds, y).item(), 1e-6))
    }

    @Test func trainsWithMixup() throws {
        GlobalRandom.manualSeed(1)
        let track = TrackResults()
        track.write = { _ in }
        let learn = Learner(
            Sequential(Linear(4, 10)), toyData(192, seed: 3), lossFunc: crossEntropy, lr: 0.5,
            cbs: [Mixup(alpha: 0.4, seed: 2), track])
        learn.showProgress = false
        try answer { try learn.fit(3) }
        #expect(track.history.last!.accuracy > 0.6)
    }

    @Test func lambdaDrawsLookLikeAFoldedBeta() {
        // Given code, checked so that the exercise rests on it safely: mean of max(λ, 1 − λ) for
        // Beta(0.4, 0.4) is about 0.84; for Beta(1, 1) (uniform) exactly 0.75.
        let narrow = Mixup(alpha: 0.4, seed: 1), uniform = Mixup(alpha: 1, seed: 1)
        let a = (0..<4000).map { _ in narrow.drawLambda() }, b = (0..<4000).map { _ in uniform.drawLambda() }
        #expect(a.allSatisfy { $0 >= 0.5 && $0 <= 1 })
        let meanNarrow: Float = a.reduce(0, +) / 4000, meanUniform: Float = b.reduce(0, +) / 4000
        #expect(Swift.abs(meanUniform - 0.75) < 0.01)
        #expect(meanNarrow > meanUniform)
    }
}
