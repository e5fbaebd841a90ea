import ExerciseSupport
import Shared

/// A finder made by the answer, with its records.
public struct FinderUnderTest {
    public let callback: LearnerCallback
    public let lrs: () -> [Float], losses: () -> [Float]

    public init(_ callback: LearnerCallback, lrs: @escaping () -> [Float], losses: @escaping () -> [Float]) {
        self.callback = callback
        self.lrs = lrs
        self.losses = losses
    }
}

/// What an answer to exercise 25 provides: `PlainLRFinder(startLR:maxLR:factor:)`.
public struct PlainCallbackAnswer {
    public var makeFinder: (_ startLR: Float, _ maxLR: Float, _ factor: Float) -> FinderUnderTest

    public init(makeFinder: @escaping (_ startLR: Float, _ maxLR: Float, _ factor: Float) -> FinderUnderTest) {
        self.makeFinder = makeFinder
    }
}

/// Records, after each batch, whether it was a training batch, the optimiser's rate and the loss.
final class BatchSpy: Callback {
    var batches: [(training: Bool, lr: Float, loss: Float)] = []
    var epochsEnded = 0
    override func afterBatch() throws { batches.append((self.training, self.opt.lr, self.loss.item())) }
    override func afterEpoch() throws { epochsEnded += 1 }
}

/// The rate the checks' learners are made with, before the finder sets its own. Chosen so that it
/// times a factor is never a startLR the checks use (with 0.5, 0.5 × 2 would be startLR 1), so
/// that a finder that keeps it is told so.
let learnerRate: Float = 0.3

/// A learner on the toy problem (5 training and 2 validation batches per epoch), seeded so that two
/// runs see the same weights and batches. The spy runs after the finder.
func learner(
    _ finder: LearnerCallback, spy: BatchSpy = BatchSpy(), lossFunc: @escaping (Tensor, Tensor) -> Tensor = crossEntropy
)
    -> Learner
{
    GlobalRandom.manualSeed(1)
    let learn = Learner(
        Sequential(Linear(4, 10)), ToyProblem.loaders(96, seed: 3), lossFunc: lossFunc, lr: learnerRate,
        cbs: [finder, spy])
    learn.showProgress = false
    return learn
}

/// The rates a finder should record: startLR · factor^k for k = 1, 2, … while they do not pass
/// maxLR, at most `batches` of them.
func expectedRates(startLR: Float, maxLR: Float, factor: Float, batches: Int) -> [Float] {
    var rates: [Float] = [], rate = startLR
    for _ in 0..<batches {
        rate *= factor
        if rate > maxLR { break }
        rates.append(rate)
    }
    return rates
}

/// What is wrong with the recorded rates `got`, in the student's terms, or nil.
func ratesProblem(_ got: [Float], _ want: [Float], startLR: Float, maxLR: Float, factor: Float) -> String? {
    if got == want { return nil }
    if got.isEmpty {
        return "lrs is empty after the fit: does afterBatch record the rate (and the loss) after each training batch?"
    }
    if got.first == learnerRate * factor {
        return
            "the first rate recorded is \(got[0]), the learner's own rate \(learnerRate) × factor: does beforeFit set the learner's rate to startLR?"
    }
    if Set(got).count == 1 && got.count > 1 {
        return
            "every rate recorded is \(got[0]): the rate to record is the optimiser's (learner.opt.lr), which grows by factor each training batch"
    }
    if let past = got.first(where: { $0 > maxLR }) {
        return
            "recorded the rate \(past), which is past maxLR \(maxLR): a batch run at a rate past maxLR ends the search without being recorded"
    }
    if got.first == startLR {
        return
            "the first rate recorded is startLR itself (\(startLR)); the rate is multiplied by factor before every training batch, the first one included: \(want.prefix(3))…"
    }
    return
        "the rates recorded are \(got); expected \(want) (startLR × factor before each training batch, until the rate passes maxLR)"
}

/// The checks of exercise 25.
public func checks(_ answer: PlainCallbackAnswer) -> [Check] {
    [
        Check("it records the same rates and losses as the workbook's LRFinder") {
            let plain = answer.makeFinder(1e-3, 10, 2), reference = LRFinder(startLR: 1e-3, factor: 2)
            try learner(plain.callback).fit(3)
            try learner(reference).fit(3)
            let want = expectedRates(startLR: 1e-3, maxLR: 10, factor: 2, batches: 15)
            try expect(reference.lrs == want, "internal: LRFinder recorded \(reference.lrs), expected \(want)")
            if let problem = ratesProblem(plain.lrs(), want, startLR: 1e-3, maxLR: 10, factor: 2) {
                throw fail(problem)
            }
            let losses = plain.losses()
            try expect(
                losses.count == reference.losses.count,
                "losses holds \(losses.count) values for \(reference.losses.count) training batches: one loss per recorded rate"
            )
            try expect(
                losses == reference.losses,
                "the losses recorded, \(losses.prefix(4))…, differ from LRFinder's \(reference.losses.prefix(4))…: record learner.loss of the training batch just run"
            )
        },
        Check("only training batches change the rate; validation batches leave it alone") {
            let finder = answer.makeFinder(1e-3, 10, 2), spy = BatchSpy()
            let learn = learner(finder.callback, spy: spy)
            try learn.fit(1)
            let training = spy.batches.filter(\.training).map(\.lr)
            let validation = spy.batches.filter { !$0.training }.map(\.lr)
            try expect(
                training == expectedRates(startLR: 1e-3, maxLR: 10, factor: 2, batches: 5),
                "during the 5 training batches the optimiser's rate was \(training); expected \(expectedRates(startLR: 1e-3, maxLR: 10, factor: 2, batches: 5)) (startLR × factor before each)"
            )
            try expect(
                validation.allSatisfy { $0 == training.last },
                "the validation batches ran at rates \(validation), not at the last training rate \(training.last ?? 0): validation batches must leave the rate alone"
            )
            try expect(
                finder.lrs().count == 5 && finder.losses().count == 5,
                "after one epoch of 5 training and 2 validation batches, lrs holds \(finder.lrs().count) rates and losses \(finder.losses().count) values; validation batches are not recorded"
            )
        },
        Check("the fit stops at the first training batch whose rate is past maxLR, without recording it") {
            // From 1, ×4 per batch: the first batch runs at 4, the second at 16, past maxLR 10.
            let finder = answer.makeFinder(1, 10, 4), spy = BatchSpy()
            let learn = learner(finder.callback, spy: spy)
            try learn.fit(10)
            if let problem = ratesProblem(finder.lrs(), [4], startLR: 1, maxLR: 10, factor: 4) { throw fail(problem) }
            try expect(
                finder.losses().count == 1,
                "lrs is [4] but losses holds \(finder.losses().count) values; one per recorded rate")
            try expect(
                spy.batches.count <= 2 && spy.epochsEnded == 0,
                "after the rate passed maxLR at the second batch, \(spy.batches.count) batches ran and \(spy.epochsEnded) epochs ended: the fit must stop there (throw CancelFitError)"
            )
            try expect(
                learn.lr == 1,
                "the learner's rate is \(learn.lr) after the fit; beforeFit sets it to startLR (1) and only the optimiser's rate grows"
            )
        },
        Check("a rate exactly at maxLR is still used and recorded; only a rate past it stops the fit") {
            // From 1, ×2 per batch: 2, 4, 8 (= maxLR, still used), then 16 stops.
            let finder = answer.makeFinder(1, 8, 2)
            try learner(finder.callback).fit(3)
            let got = finder.lrs()
            if got == [2, 4] {
                throw fail("the search stopped when the rate reached maxLR (8) exactly; only a rate past maxLR ends it")
            }
            if let problem = ratesProblem(got, [2, 4, 8], startLR: 1, maxLR: 8, factor: 2) { throw fail(problem) }
        },
        Check("the fit stops at the first training batch whose loss is NaN, without recording it") {
            var trainingLosses = 0
            let finder = answer.makeFinder(1e-3, 10, 1.2), spy = BatchSpy()
            let learn = learner(finder.callback, spy: spy) { preds, targets in
                // The first epoch's training batches come first: the third loss computed is the third
                // training batch's, and it is NaN.
                trainingLosses += 1
                let loss = crossEntropy(preds, targets)
                return trainingLosses == 3 ? loss * Float.nan : loss
            }
            try learn.fit(2)
            let losses = finder.losses()
            try expect(
                !losses.contains { $0.isNaN },
                "a NaN loss was recorded (losses: \(losses.prefix(4))…): a NaN loss ends the search without being recorded"
            )
            try expect(
                losses.count == 2 && finder.lrs().count == 2 && spy.batches.count <= 3,
                "the third training batch's loss was NaN, yet \(spy.batches.count) batches ran and \(losses.count) losses were recorded; the fit must stop at that batch (2 recorded)"
            )
        },
        Check("a large loss that is not NaN does not stop the search (only a rate past maxLR or a NaN loss does)") {
            var trainingLosses = 0
            let finder = answer.makeFinder(1e-3, 10, 2), spy = BatchSpy()
            let learn = learner(finder.callback, spy: spy) { preds, targets in
                // The third training batch's loss is 100 more than usual: far past 4 × the best so far,
                // but finite, and its gradient is unchanged.
                trainingLosses += 1
                let loss = crossEntropy(preds, targets)
                return trainingLosses == 3 ? loss + 100 : loss
            }
            try learn.fit(1)
            let losses = finder.losses()
            try expect(
                losses.count == 5 && finder.lrs().count == 5,
                "the third training batch's loss was large (over 100) but not NaN, and the search stopped after \(losses.count) batches (losses: \(losses)); here only a rate past maxLR or a NaN loss ends it (fastai's LRFinder also stops when the loss grows past 4 × the best; this one does not)"
            )
            try expect(
                losses.count > 2 && losses[2] > 100,
                "the third training batch's loss was over 100, but losses holds \(losses): record learner.loss of the batch just run"
            )
        },
        Check("a second fit starts afresh: the records of the first are emptied, the rate starts again at startLR") {
            let finder = answer.makeFinder(1e-3, 10, 2)
            let learn = learner(finder.callback)
            try learn.fit(1)
            try learn.fit(1)
            let want = expectedRates(startLR: 1e-3, maxLR: 10, factor: 2, batches: 5)
            let got = finder.lrs()
            if got.count == 2 * want.count {
                throw fail(
                    "after a second fit, lrs holds \(got.count) rates, both fits' records: does beforeFit empty the records?"
                )
            }
            if let problem = ratesProblem(got, want, startLR: 1e-3, maxLR: 10, factor: 2) {
                throw fail("after a second fit: " + problem)
            }
            try expect(
                finder.losses().count == want.count,
                "after a second fit, losses holds \(finder.losses().count) values for \(want.count) rates")
        },
        Check("after a search that passed maxLR, the same learner's next fit searches again from startLR") {
            // From 1, ×2 per batch: 2, 4, 8, then 16 ends the first fit at its fourth batch. The
            // learner is then fitted again with the finder still in its callbacks, as after any fit.
            let finder = answer.makeFinder(1, 10, 2), spy = BatchSpy()
            let learn = learner(finder.callback, spy: spy)
            try learn.fit(2)
            let firstFit = spy.batches.count
            try learn.fit(2)
            let second = spy.batches[firstFit...].filter(\.training).map(\.lr)
            if second.isEmpty {
                throw fail(
                    "after a first fit that the search ended (its rate passed maxLR), the second fit of the same learner ended before its first batch was recorded: something the finder keeps from the first fit (a flag that the search is over?) stops the new one; beforeFit starts each fit's search afresh"
                )
            }
            if second.count > 3 && Set(second).count == 1 {
                throw fail(
                    "during the second fit of the same learner the optimiser's rate stayed at \(second[0]) for all \(second.count) training batches: the finder no longer drives the rate after its first fit (is it still in learner.cbs? it must stay there, and search again, in every fit)"
                )
            }
            try expect(
                second == [2, 4, 8],
                "during the second fit of the same learner the training batches ran at rates \(second); a new search runs at 2, 4, 8 (startLR × factor before each training batch) and ends when the rate passes maxLR"
            )
            if let problem = ratesProblem(finder.lrs(), [2, 4, 8], startLR: 1, maxLR: 10, factor: 2) {
                throw fail("after the second fit: " + problem)
            }
        }
    ]
}
