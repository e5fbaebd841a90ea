import ExerciseSupport
import Shared
import Testing

@testable import Exercise25

@Suite("Exercise 25: a callback without the Callback base", .exercise("25"))
struct Exercise25Tests {
    /// A learner on the toy problem, seeded so that two runs see the same weights and batches.
    func learner(_ cbs: [LearnerCallback]) -> Learner {
        GlobalRandom.manualSeed(1)
        let learn = Learner(Sequential(Linear(4, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.5, cbs: cbs)
        learn.showProgress = false
        return learn
    }

    @Test func isAPlainClass() {
        // No superclass at all: not Callback, nothing else.
        #expect(Mirror(reflecting: PlainLRFinder()).superclassMirror == nil)
    }

    @Test func recordsWhatTheWorkbooksLRFinderRecords() throws {
        let plain = PlainLRFinder(startLR: 1e-3, factor: 2)
        let reference = LRFinder(startLR: 1e-3, factor: 2)
        try answer { try self.learner([plain]).fit(3) }
        try learner([reference]).fit(3)
        #expect(!plain.lrs.isEmpty)
        #expect(plain.lrs == reference.lrs)
        #expect(plain.losses == reference.losses)
    }

    @Test func changesTheRateAndStopsTheFit() throws {
        // 5 training batches per epoch; starting at 1 and ×4 per batch, the rate passes 10 at the second.
        let finder = PlainLRFinder(startLR: 1, factor: 4)
        let counter = BatchCounter()
        let learn = learner([finder, counter])
        try answer { try learn.fit(10) }
        #expect(finder.lrs == [4])
        #expect(finder.losses.count == 1)
        #expect(learn.opt.lr == 16)
        #expect(learn.lr == 1)
        // Cancelled at the second batch: no other batch ran, no epoch ended.
        #expect(counter.batches == 2)
        #expect(counter.epochsEnded == 0)
    }

    @Test func leavesValidationAlone() throws {
        // One epoch: 5 training batches and 2 validation ones; only the training ones count.
        let finder = PlainLRFinder(startLR: 1e-3, factor: 2)
        let learn = learner([finder])
        try answer { try learn.fit(1) }
        #expect(finder.lrs.count == 5)
        #expect(close(finder.lrs.last!, 3.2e-2, 1e-8))
        #expect(close(learn.opt.lr, 3.2e-2, 1e-8))
    }
}

/// Counts the batches and epochs the learner runs.
final class BatchCounter: Callback {
    var batches = 0, epochsEnded = 0
    override func beforeBatch() throws { batches += 1 }
    override func afterEpoch() throws { epochsEnded += 1 }
}
