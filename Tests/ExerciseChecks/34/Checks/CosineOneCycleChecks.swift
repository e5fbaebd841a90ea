import ExerciseSupport
import Foundation
import Shared

/// A `CosineOneCycle` made by the answer: the callback, its `lr(at:)` and its `lrs`.
public struct ScheduleUnderTest {
    public let callback: LearnerCallback
    public let lr: (Float) -> Float, lrs: () -> [Float]

    public init(_ callback: LearnerCallback, lr: @escaping (Float) -> Float, lrs: @escaping () -> [Float]) {
        self.callback = callback
        self.lr = lr
        self.lrs = lrs
    }
}

/// What an answer to exercise 34 provides: `CosineOneCycle(baseLR, pctStart:, divStart:)`.
public struct CosineOneCycleAnswer {
    public var make: (_ baseLR: Float, _ pctStart: Float, _ divStart: Float) -> ScheduleUnderTest

    public init(make: @escaping (_ baseLR: Float, _ pctStart: Float, _ divStart: Float) -> ScheduleUnderTest) {
        self.make = make
    }

    /// The schedule's `lr(at:)` alone.
    func makeSchedule(_ baseLR: Float, _ pctStart: Float, _ divStart: Float) -> (Float) -> Float {
        make(baseLR, pctStart, divStart).lr
    }
}

/// Records the optimiser's rate at each training batch, and where each fit's batches start.
final class RateSpy: Callback {
    var rates: [Float] = [], fitsStartAt: [Int] = []
    override func beforeFit() throws { fitsStartAt.append(rates.count) }
    override func afterBatch() throws { if self.training { rates.append(self.opt.lr) } }
}

/// One setting of the schedule, and the rate it should give, computed here in Double.
struct Setting: CustomStringConvertible {
    let baseLR: Double, pctStart: Double, divStart: Double

    /// The cosine one-cycle rate at `pct`.
    func expected(_ pct: Double) -> Double {
        func halfCosine(from a: Double, to b: Double, _ t: Double) -> Double {
            a + (b - a) * (1 - cos(Double.pi * t)) / 2
        }
        return pct < pctStart
            ? halfCosine(from: baseLR / divStart, to: baseLR, pct / pctStart)
            : halfCosine(from: baseLR, to: 0, (pct - pctStart) / (1 - pctStart))
    }

    /// The chapter's straight-line one-cycle rate at `pct`, to recognise an answer that kept it.
    func linear(_ pct: Double) -> Double {
        pct < pctStart
            ? baseLR / divStart + (baseLR - baseLR / divStart) * pct / pctStart
            : baseLR * (1 - (pct - pctStart) / (1 - pctStart))
    }

    /// Whether `got` is the rate `want` up to Float rounding.
    func same(_ got: Float, _ want: Double) -> Bool { abs(Double(got) - want) <= 2e-6 * baseLR }

    var description: String { "CosineOneCycle(\(baseLR), pctStart: \(pctStart), divStart: \(divStart))" }
}

/// The defaults, and two other settings: an answer must use the schedule's own values.
let settings = [
    Setting(baseLR: 0.1, pctStart: 0.25, divStart: 10),
    Setting(baseLR: 3e-3, pctStart: 0.3, divStart: 25),
    Setting(baseLR: 1, pctStart: 0.5, divStart: 4)
]

/// `0.01` rather than `0.0099999998`.
func show(_ x: Double) -> String { String(format: "%.6g", x) }

/// The checks of exercise 34.
public func checks(_ answer: CosineOneCycleAnswer) -> [Check] {
    func schedule(_ s: Setting) -> (Float) -> Float {
        answer.makeSchedule(Float(s.baseLR), Float(s.pctStart), Float(s.divStart))
    }
    return [
        Check("it starts at baseLR / divStart (pct 0)") {
            for s in settings {
                let got = schedule(s)(0), want = s.expected(0)
                if s.same(got, want) { continue }
                if s.same(got, s.baseLR) {
                    throw fail(
                        "\(s).lr(at: 0) is the peak, \(show(s.baseLR)): the warm-up runs the wrong way (it should rise from baseLR / divStart = \(show(want)) to baseLR)"
                    )
                }
                if s.same(got, 0) {
                    throw fail("\(s).lr(at: 0) is 0: the warm-up starts at baseLR / divStart = \(show(want)), not at 0")
                }
                throw fail(
                    "\(s).lr(at: 0) is \(show(Double(got))); it should be baseLR / divStart = \(show(want)) (the schedule's own divStart)"
                )
            }
        },
        Check("it reaches baseLR at pctStart, the end of the warm-up") {
            for s in settings {
                let got = schedule(s)(Float(s.pctStart))
                if s.same(got, s.baseLR) { continue }
                if s.pctStart != 0.25 && s.same(schedule(s)(0.25), s.baseLR) {
                    throw fail(
                        "\(s) peaks at pct 0.25, not at its pctStart \(s.pctStart): use the schedule's own pctStart, not the default"
                    )
                }
                throw fail(
                    "\(s).lr(at: \(s.pctStart)) is \(show(Double(got))); at pctStart the rate is the peak, baseLR = \(show(s.baseLR))"
                )
            }
        },
        Check("it ends at 0 (pct 1)") {
            for s in settings {
                let got = schedule(s)(1)
                if s.same(got, 0) { continue }
                if s.same(got, s.baseLR) {
                    throw fail(
                        "\(s).lr(at: 1) is the peak, \(show(s.baseLR)): the decay runs the wrong way (it should fall from baseLR to 0)"
                    )
                }
                if got > 0 && Double(got) < 1e-3 * s.baseLR {
                    throw fail(
                        "\(s).lr(at: 1) is \(show(Double(got))), a small rate but not 0: this schedule's decay ends at exactly 0 (fastai's final divisor, div_final, is not part of it)"
                    )
                }
                if s.same(got, s.baseLR / s.divStart) {
                    throw fail(
                        "\(s).lr(at: 1) is baseLR / divStart = \(show(Double(got))): the decay ends at 0, not where the warm-up started"
                    )
                }
                throw fail(
                    "\(s).lr(at: 1) is \(show(Double(got))); training ends at rate 0: does the decay's progress reach 1 at pct 1?"
                )
            }
        },
        Check("the warm-up follows half a cosine wave (slow, fast, slow), not a straight line") {
            for s in settings {
                for k in 1..<8 {
                    let pct = s.pctStart * Double(k) / 8
                    let got = schedule(s)(Float(pct)), want = s.expected(pct)
                    if s.same(got, want) { continue }
                    if s.same(got, s.linear(pct)) {
                        throw fail(
                            "\(s).lr(at: \(show(pct))) is \(show(Double(got))), on the straight line of the chapter's OneCycle; half a cosine wave gives \(show(want)) there"
                        )
                    }
                    throw fail(
                        "\(s).lr(at: \(show(pct))) is \(show(Double(got))); the cosine warm-up gives \(show(want)) there (\(k)/8 of the way through the warm-up)"
                    )
                }
            }
        },
        Check("the decay follows half a cosine wave down to 0, not a straight line") {
            for s in settings {
                for k in 1..<8 {
                    let pct = s.pctStart + (1 - s.pctStart) * Double(k) / 8
                    let got = schedule(s)(Float(pct)), want = s.expected(pct)
                    if s.same(got, want) { continue }
                    if s.same(got, s.linear(pct)) {
                        throw fail(
                            "\(s).lr(at: \(show(pct))) is \(show(Double(got))), on the straight line of the chapter's OneCycle; half a cosine wave gives \(show(want)) there"
                        )
                    }
                    throw fail(
                        "\(s).lr(at: \(show(pct))) is \(show(Double(got))); the cosine decay gives \(show(want)) there (\(k)/8 of the way through the decay)"
                    )
                }
            }
        },
        Check("every rate along the way, 400 points, for three settings of baseLR, pctStart and divStart") {
            for s in settings {
                let lr = schedule(s)
                for k in 0...400 {
                    let pct = Double(Float(k) / 400)
                    let got = lr(Float(pct)), want = s.expected(pct)
                    try expect(
                        s.same(got, want),
                        "\(s).lr(at: \(show(pct))) is \(show(Double(got))); it should be \(show(want))")
                }
            }
        },
        Check(
            "in a learner fitted twice, each fit's training batches run at its own schedule; lrs holds the last fit's"
        ) {
            // 72 training points in batches of 16: 5 training batches per epoch. Two fits of the
            // same learner, of 2 epochs and then of 1: each runs its whole schedule.
            let s = settings[1], spy = RateSpy()
            let made = answer.make(Float(s.baseLR), Float(s.pctStart), Float(s.divStart))
            GlobalRandom.manualSeed(1)
            let learn = Learner(
                Sequential(Linear(4, 10)), ToyProblem.loaders(96, seed: 3), lossFunc: crossEntropy, lr: 0.1,
                cbs: [made.callback, spy])
            learn.showProgress = false
            for (fit, epochs) in [2, 1].enumerated() {
                try ExerciseSupport.answer { try learn.fit(epochs) }
                let rates = Array(spy.rates[spy.fitsStartAt[fit]...]), total = 5 * epochs
                try expect(rates.count == total, "fit \(fit + 1) ran \(rates.count) training batches, not \(total)")
                for (k, got) in rates.enumerated() {
                    let pct = Double(Float(k) / Float(total)), want = s.expected(pct)
                    try expect(
                        s.same(got, want),
                        "in fit \(fit + 1) of the same learner (\(epochs) epoch\(epochs == 1 ? "" : "s") of 5 batches), "
                            + "training batch \(k + 1) ran at \(show(Double(got))); at pct \(show(pct)) of that fit the "
                            + "schedule gives \(show(want))")
                }
                let lrs = made.lrs()
                if lrs.count == 2 * total {
                    throw fail(
                        "after fit \(fit + 1), a fit of \(total) training batches, lrs holds \(lrs.count) rates, two per "
                            + "batch: lr(at:) only computes a rate (beforeBatch records it); does lr(at:) append to "
                            + "lrs too?")
                }
                try expect(
                    lrs == rates,
                    "after fit \(fit + 1) lrs holds \(lrs.count) rates; it should hold that fit's \(total), the rates "
                        + "its training batches ran at")
            }
        },
        Check("the schedule gives the same rate however often it is asked, in any order") {
            let s = settings[1], lr = schedule(s)
            let pcts: [Double] = [0.9, 0.1, 0.5, 0.1, 0.9, 0]
            let first = pcts.map { lr(Float($0)) }, again = pcts.map { lr(Float($0)) }
            try expect(
                first == again,
                "asking \(s) for the same pct twice gave \(first) then \(again): lr(at:) must not depend on earlier calls"
            )
            for (pct, got) in zip(pcts, first) {
                try expect(
                    s.same(got, s.expected(pct)),
                    "\(s).lr(at: \(pct)) is \(show(Double(got))) when asked out of order; it should be \(show(s.expected(pct)))"
                )
            }
        }
    ]
}
