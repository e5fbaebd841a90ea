import Testing

@testable import Shared

/// A tiny classification problem in memory: the class is which of 4 features is largest.
func toyData(_ n: Int, seed: UInt64) -> DataLoaders {
    var g = SeededGenerator(seed: seed)
    let x = Tensor.randn([n, 4], using: &g)
    let y = x.argmax(axis: 1)
    let cut = n * 3 / 4
    let train = InMemoryBatches(
        x: Tensor.stack((0..<cut).map { x[$0] }), y: Tensor.stack((0..<cut).map { y[$0] }), bs: 16)
    let valid = InMemoryBatches(
        x: Tensor.stack((cut..<n).map { x[$0] }), y: Tensor.stack((cut..<n).map { y[$0] }), bs: 16)
    return DataLoaders(train, valid)
}

final class Recorder: Callback {
    var events: [String] = []
    override func beforeFit() throws { events.append("beforeFit") }
    override func beforeEpoch() throws { events.append("beforeEpoch(\(self.training))") }
    override func beforeBatch() throws { events.append("beforeBatch") }
    override func afterBatch() throws { events.append("afterBatch") }
    override func afterEpoch() throws { events.append("afterEpoch") }
    override func afterFit() throws { events.append("afterFit") }
}

final class CancelAfter: Callback {
    let batches: Int
    var seen = 0
    init(_ batches: Int) { self.batches = batches }
    override func afterBatch() throws {
        seen += 1
        if seen == batches { throw CancelFitError() }
    }
}

@Suite("Learner and callbacks")
struct LearnerTests {
    func learner(_ cbs: [LearnerCallback], lr: Float = 0.5) -> Learner {
        GlobalRandom.manualSeed(1)
        let learn = Learner(Sequential(Linear(4, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: lr, cbs: cbs)
        learn.showProgress = false
        return learn
    }

    @Test func callbacksRunInOrder() throws {
        let rec = Recorder()
        try learner([rec]).fit(1)
        // 72 training samples → 5 batches of 16; 24 validation → 2 batches.
        let batch = ["beforeBatch", "afterBatch"]
        var expected: [String] = ["beforeFit", "beforeEpoch(true)"]
        for _ in 0..<5 { expected += batch }
        expected += ["afterEpoch", "beforeEpoch(false)"]
        for _ in 0..<2 { expected += batch }
        expected += ["afterEpoch", "afterFit"]
        #expect(rec.events == expected)
    }

    @Test func cancelStopsTheFitAndAfterFitStillRuns() throws {
        let rec = Recorder()
        try learner([CancelAfter(3), rec]).fit(5)
        // The cancelling batch's afterBatch comes after CancelAfter's.
        #expect(rec.events.filter { $0 == "afterBatch" }.count == 2)
        #expect(rec.events.last == "afterFit")
        #expect(!rec.events.contains("afterEpoch"))
    }

    @Test func fitLowersTheLossAndTracksResults() throws {
        let track = TrackResults()
        var lines: [String] = []
        track.write = { lines.append($0) }
        try learner([track]).fit(3)
        let train = track.history.filter { $0.training }
        #expect(train.count == 3)
        #expect(train.last!.loss < train.first!.loss)
        #expect(track.history.last!.accuracy > 0.5)
        #expect(lines.count == 7)
        #expect(lines[0].hasPrefix("epoch  training  loss"))
        #expect(lines[1].hasPrefix("0      true"))
    }

    @Test func validationDoesNotChangeWeights() throws {
        let learn = learner([])
        learn.opt = SGD(learn.model.parameters(), lr: 1)
        let before = learn.model.parameters().map { $0.toArray() }
        try learn.oneEpoch(train: false)
        #expect(learn.model.parameters().map { $0.toArray() } == before)
    }

    @Test func lrFinderStopsOnNaN() throws {
        final class Explode: Callback {
            override func afterBatch() throws {
                if self.num == 2 { self.loss = Tensor(Float.nan) }
            }
        }
        let finder = LRFinder()
        // Explode runs first, so the finder sees the NaN of batch 2 and cancels.
        try learner([Explode(), finder]).fit(2)
        #expect(finder.losses.count == 2)
        #expect(finder.lrs.count == 2)
        #expect(Swift.abs(finder.lrs[0] - 1.2e-6) < 1e-9)
        #expect(finder.stopReason == .lossNaN(lr: finder.lrs[1] * 1.2))
        #expect(finder.stopReason?.description.hasPrefix("the loss was NaN at rate 1.73e-06") == true)
    }

    @Test func lrFinderStopsAboveTen() throws {
        let finder = LRFinder(startLR: 1, factor: 4)
        try learner([finder]).fit(10)
        #expect(finder.lrs == [4])  // the next rate, 16, passes 10 and cancels
        #expect(finder.stopReason == .rateAboveMax(lr: 16, maxLR: 10))
        #expect(finder.stopReason?.description == "the rate, 16, passed 10")
    }

    /// A fit too short for the sweep ends with no reason: the finder did not stop it.
    @Test func lrFinderThatRunsOutOfBatchesGivesNoReason() throws {
        let finder = LRFinder()
        try learner([finder]).fit(1)
        #expect(finder.lrs.count == 5 && finder.stopReason == nil)
    }

    /// A real divergence, as in 07's full run ("the loss was NaN at rate 5.38", after a loss of 6e18):
    /// with no rate to stop at, the sweep records losses a million times the first and stops only
    /// when the loss is NaN. fastai's finder would have stopped at four times the best smoothed loss.
    /// Two layers, since their weights grow each other's steps and the scores overflow; one linear
    /// layer's loss only grows with the rate.
    @Test func lrFinderIgnoresDivergenceShortOfNaN() throws {
        let finder = LRFinder(startLR: 1e-2, maxLR: .greatestFiniteMagnitude, factor: 8)
        GlobalRandom.manualSeed(1)
        let learn = Learner(
            Sequential(Linear(4, 8), Linear(8, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.5,
            cbs: [finder])
        learn.showProgress = false
        try learn.fit(20)
        guard case .lossNaN = finder.stopReason else {
            Issue.record("stopped by \(String(describing: finder.stopReason)) after \(finder.losses)")
            return
        }
        #expect(finder.losses.allSatisfy { !$0.isNaN })
        #expect(finder.losses.max()! > 1e6 * finder.losses[0], "\(finder.losses)")
        let smoothed = LossRecorder.smoothed(finder.losses)
        let fastaiStop = smoothed.indices.first { i in smoothed[i] > 4 * smoothed[...i].min()! }
        #expect(fastaiStop.map { $0 < finder.losses.count - 1 } == true, "fastai's rule stops earlier")
    }

    @Test func oneCycleRates() throws {
        let cycle = OneCycle(0.1)
        #expect(Swift.abs(cycle.lr(at: 0) - 0.01) < 1e-7)
        #expect(Swift.abs(cycle.lr(at: 0.25) - 0.1) < 1e-7)
        #expect(Swift.abs(cycle.lr(at: 1)) < 1e-7)
        try learner([cycle]).fit(4)
        #expect(cycle.lrs.count == 20)
        #expect(Swift.abs(cycle.lrs[0] - 0.01) < 1e-7)
        #expect(Swift.abs(cycle.lrs[5] - 0.1) < 1e-7)  // batch 5 of 20 = 25%
        #expect(cycle.lrs[19] < 0.01)
        #expect(zip(cycle.lrs[5...], cycle.lrs[6...]).allSatisfy { $0 > $1 })
    }
}
