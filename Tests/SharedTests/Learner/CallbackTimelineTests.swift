import Testing

@testable import Shared
@testable import Workbook

/// Halves the rate before every training batch: a callback that changes the learner.
private final class HalveLR: Callback {
    override func beforeBatch() throws {
        if self.training { self.opt.lr /= 2 }
    }
}

/// Counts batches in a list of its own, emptied before each epoch: a callback that records.
private final class Seen: Callback {
    var batches: [Int] = []
    var step = 0
    override func beforeEpoch() throws { batches = [] }
    override func afterBatch() throws {
        batches.append(self.num)
        step += 1
    }
}

/// `CallbackTimeline`: every callback's turn at every event of a fit, with what it changed.
@Suite struct CallbackTimelineTests {
    @Test func recordsEveryTurnAndWhatItChanged() throws {
        let timeline = CallbackTimeline()
        // 48 training rows in batches of 16, 16 validation rows in one batch.
        let learn = Learner(
            Linear(4, 4), toyData(64, seed: 1), lossFunc: crossEntropy, lr: 0.4,
            cbs: timeline.trace([HalveLR(), Seen()]))
        try learn.fit(1)

        // Per callback: beforeFit, 2 × (beforeEpoch, afterEpoch), 4 batches × 2 events, afterFit.
        #expect(timeline.entries.count == 2 * (1 + 4 + 8 + 1))
        #expect(timeline.entries.map(\.callback).prefix(2) == ["HalveLR", "Seen"])
        let halvings = timeline.entries.filter { $0.callback == "HalveLR" && $0.event == .beforeBatch }
        #expect(
            halvings.map(\.changes) == [["lr 0.4 → 0.2"], ["lr 0.2 → 0.1"], ["lr 0.1 → 0.05"], []],
            "the validation batch leaves the rate alone")
        #expect(halvings.map(\.batch) == [0, 1, 2, 0] && halvings.map(\.training) == [true, true, true, false])
        let seen = timeline.entries.filter { $0.callback == "Seen" }
        #expect(seen.first { $0.event == .afterBatch }?.changes == ["batches +1", "step 0 → 1"])
        let validStart = try #require(seen.first { $0.event == .beforeEpoch && $0.training == false })
        #expect(validStart.changes == ["batches emptied"])
        #expect(seen.first?.event == .beforeFit && seen.first?.changes == [] && seen.first?.epoch == nil)
        // The learner itself still trained: the callbacks inside got their learner.
        #expect(learn.opt.lr == 0.05)
    }

    @Test func batchesThatRepeatTheOneBeforeShareARow() throws {
        let timeline = CallbackTimeline()
        let learn = Learner(
            Linear(4, 4), toyData(64, seed: 2), lossFunc: crossEntropy, lr: 0.1, cbs: timeline.trace([Seen()]))
        try learn.fit(1)
        let rows = timeline.rows
        #expect(rows.allSatisfy { $0.count == CallbackTimeline.header.count })
        // `step` counts on, so batches differ; with it the rows stay apart, one per batch.
        let trainRows = rows.filter { $0[0] == "afterBatch" && $0[1].hasPrefix("epoch 0 train") }
        #expect(trainRows.map(\.[1]) == ["epoch 0 train batch 0", "epoch 0 train batch 1", "epoch 0 train batch 2"])

        let folding = CallbackTimeline()
        let quiet = Learner(
            Linear(4, 4), toyData(64, seed: 2), lossFunc: crossEntropy, lr: 0.1, cbs: folding.trace([Recorder()]))
        try quiet.fit(1)
        let folded = folding.rows.filter { $0[1].contains("batch") }
        #expect(
            folded.map { "\($0[0]) \($0[1])" } == [
                "beforeBatch epoch 0 train batches 0–2", "afterBatch epoch 0 train batches 0–2",
                "beforeBatch epoch 0 valid batch 0", "afterBatch epoch 0 valid batch 0"
            ])
        #expect(folded.allSatisfy { $0[3] == "events +1" })
    }
}
