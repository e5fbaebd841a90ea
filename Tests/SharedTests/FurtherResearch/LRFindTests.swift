import Testing

@testable import Shared

/// The weights of `model` as bit patterns, so that equality means bit for bit.
func weightBits(_ model: Module) -> [[UInt32]] {
    model.parameters().map { $0.toArray().map(\.bitPattern) }
}

/// Records the weights as the fit ends, to show the search really changed them.
final class WeightsAtEnd: Callback {
    var bits: [[UInt32]] = []
    override func afterFit() throws { bits = weightBits(self.model) }
}

@Suite("lr_find: restore and the valley rule")
struct LRFindTests {
    func learner(_ cbs: [LearnerCallback]) -> Learner {
        GlobalRandom.manualSeed(1)
        let learn = Learner(
            Sequential(Linear(4, 8), Linear(8, 4)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.3, cbs: cbs)
        learn.showProgress = false
        return learn
    }

    @Test func weightsAndStateAreRestoredBitForBit() throws {
        let track = TrackResults()
        track.write = { _ in }
        let during = WeightsAtEnd()
        let learn = learner([track, during])
        let before = weightBits(learn.model)
        let optBefore = SGD([], lr: 1)
        learn.opt = optBefore
        let result = try learn.lrFind()

        #expect(!during.bits.isEmpty && during.bits != before, "the search did not train at all")
        #expect(weightBits(learn.model) == before)
        #expect(learn.model.parameters().allSatisfy { $0.grad == nil })
        #expect(learn.opt === optBefore)
        #expect(learn.lr == 0.3)
        #expect(learn.cbs.count == 2 && learn.cbs[0] === track && learn.cbs[1] === during)
        #expect(track.history.isEmpty, "TrackResults must sit the search out")
        #expect(result.lrs.count == result.losses.count && result.lrs.count > 20)
        #expect(result.suggestion != nil)
    }

    /// `fit` after `lrFind` trains exactly as `fit` on the untouched model does.
    @Test func fitAfterLRFindMatchesFitWithout() throws {
        let trackA = TrackResults(), trackB = TrackResults()
        trackA.write = { _ in }
        trackB.write = { _ in }
        let a = learner([trackA])
        _ = try a.lrFind()
        try a.fit(2)
        let b = learner([trackB])
        try b.fit(2)
        #expect(trackA.history.map(\.loss) == trackB.history.map(\.loss))
        #expect(weightBits(a.model) == weightBits(b.model))
    }

    /// Validation batches take no step, so the search skips them, as fastai's does.
    @Test func noValidationDuringTheSearch() throws {
        final class CountValidation: Callback {
            var batches = 0
            override func afterBatch() throws { if !self.training { batches += 1 } }
        }
        let counter = CountValidation()
        let learn = learner([counter])
        let result = try learn.lrFind(LRFinder(startLR: 1e-3, maxLR: 1, factor: 2))
        #expect(counter.batches == 0)
        #expect(result.lrs.count == 9)  // 2e-3 … 0.512; 1.024 passes 1 and stops the search
        #expect(learn.dls.valid.count == 2)
    }

    @Test func gradientsPresentBeforeAreRestored() throws {
        let learn = learner([])
        let p = learn.model.parameters()[0]
        p.grad = Tensor.full(p.shape, 0.25)
        _ = try learn.lrFind(LRFinder(startLR: 1e-3, maxLR: 1, factor: 2))
        #expect(p.grad!.toArray().allSatisfy { $0 == 0.25 })
    }

    /// A curve flat at 2 for 30 points, falling in a straight line to 0.5 at point 70, then rising:
    /// the longest valley runs from point 29 (the last of the flat part, higher than everything
    /// after it) to 70, 42 points; fastai takes its start as 70 − 42 = 28 and suggests
    /// 28 + ⌊42/3⌋ + ⌊14/2⌋ = 49. fastai's own `valley` gives 49 for this curve too.
    @Test func valleyOfAKnownCurve() {
        let curve: [Float] =
            Array(repeating: 2, count: 30) + (30...70).map { 2 - 1.5 * Float($0 - 29) / 41 }
            + (71..<100).map { 0.5 + 0.1 * Float($0 - 70) }
        #expect(LRSuggestion.valley(curve) == 49)
    }

    /// Curves with many competing runs; the answers are those of fastai's `valley` in Python.
    @Test func valleyAgreesWithFastai() {
        let curves: [([Float], Int)] = [
            (
                [
                    2.4, 5.4, 3.7, 6.0, 6.3, 0.7, 0.1, 8.4, 2.6, 2.3, 10.0, 4.7, 8.4, 4.8, 6.4, 1.5, 6.3, 8.7, 5.2, 7.4,
                    6.7, 0.6, 7.6, 5.9, 3.0
                ], 18
            ),
            (
                [
                    0.3, 8.7, 4.7, 7.2, 8.8, 7.1, 9.2, 3.9, 8.0, 4.4, 9.4, 8.8, 1.0, 1.4, 2.2, 9.7, 4.4, 6.3, 3.0, 5.1,
                    3.9, 3.5, 5.9, 5.8, 9.0
                ], 17
            ),
            (
                [
                    6.8, 9.3, 8.6, 9.9, 6.7, 1.6, 8.6, 9.6, 9.0, 5.7, 7.1, 2.1, 8.3, 5.7, 2.8, 0.6, 8.5, 9.9, 0.9, 8.0,
                    4.1, 1.5, 2.9, 7.7, 8.7
                ], 11
            )
        ]
        for (curve, expected) in curves { #expect(LRSuggestion.valley(curve) == expected) }
        #expect(LRSuggestion.valley([]) == nil)
        #expect(LRSuggestion.valley([3]) == 0)
    }

    @Test func smoothingIsTheDebiasedMovingAverage() {
        let s = LossRecorder.smoothed([1, 3], beta: 0.5)
        // First value: 0.5·1 / (1 − 0.5) = 1; second: (0.5·0.5 + 0.5·3) / (1 − 0.25) = 1.75 / 0.75.
        #expect(s[0] == 1)
        #expect(Swift.abs(s[1] - 1.75 / 0.75) < 1e-6)
    }

    /// The suggestion skips a tenth of the planned batches and the last five points, and stops at a NaN.
    @Test func suggestionWindow() {
        // Falling for 40 points then NaN: the valley is found before the NaN, never after it.
        let losses: [Float] = (0..<40).map { 3 - Float($0) * 0.05 } + [.nan] + Array(repeating: 0.1, count: 20)
        let index = LRSuggestion.suggestion(losses: losses, numIt: 100)!
        #expect(index >= 10 && index < 40)
        #expect(LRSuggestion.suggestion(losses: [1, 2, 3], numIt: 100) == nil)
        // A steady fall: the valley is the whole window, so the suggestion sits halfway along it,
        // and the window starts at num_it / 10 whatever the number of points recorded (fastai's
        // `self.recorder.losses[num_it//10:-5]`).
        let falling: [Float] = (0..<60).map { 3 - Float($0) * 0.02 }
        // Window 20..<55: the valley starts one before its first point (19) and ends at 54, 35 long;
        // 19 + ⌊35/3⌋ + ⌊11.67/2⌋ = 19 + 11 + 5.
        #expect(LRSuggestion.suggestion(losses: falling, numIt: 200) == 35)
        // Window 6..<55: from 5 to 54, 49 long; 5 + 16 + 8.
        #expect(LRSuggestion.suggestion(losses: falling, numIt: 60) == 29)
    }

    @Test func plotMarksTheSuggestion() throws {
        let result = try learner([]).lrFind()
        let plot = result.plot()
        #expect(plot.series.count == 2)
        #expect(plot.series[1].x == [Double(result.suggestion!), Double(result.suggestion!)])
        #expect(plot.series[1].label.hasPrefix("valley: "))
    }
}
