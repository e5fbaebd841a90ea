import Checks34
import ExerciseSupport
import Reference34
import Testing
import Wrong34_decay_not_stretched
import Wrong34_decays_to_start
import Wrong34_default_settings
import Wrong34_degrees
import Wrong34_ends_at_div_final
import Wrong34_phase_lengths_swapped
import Wrong34_records_rates_too
import Wrong34_straight_line
import Wrong34_straight_warm_up
import Wrong34_times_div_start
import Wrong34_warms_up_from_zero
import Wrong34_wrong_way

/// Exercise 34's checks against its reference answer and its known-wrong answers.
@Suite("Exercise 34: known-wrong answers are rejected, the reference accepted")
struct WrongAnswers34 {
    /// The checks of the schedule that `make` builds from baseLR, pctStart and divStart.
    static func answer(_ make: @escaping (Float, Float, Float) -> ScheduleUnderTest) -> [Check] {
        checks(CosineOneCycleAnswer(make: make))
    }

    let catalogue = WrongAnswerCatalogue(
        exercise: "34",
        reference: {
            answer { b, p, d in
                let s = Reference34.CosineOneCycle(b, pctStart: p, divStart: d)
                return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
            }
        },
        wrong: [
            WrongAnswer(
                "straight-warm-up", because: "on the straight line of the chapter's OneCycle",
                answer { b, p, d in
                    let s = Wrong34_straight_warm_up.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "times-div-start", because: "the schedule's own divStart",
                answer { b, p, d in
                    let s = Wrong34_times_div_start.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "degrees", because: "the cosine warm-up gives",
                answer { b, p, d in
                    let s = Wrong34_degrees.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "phase-lengths-swapped", because: "does the decay's progress reach 1",
                answer { b, p, d in
                    let s = Wrong34_phase_lengths_swapped.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "ends-at-div-final", because: "a small rate but not 0",
                answer { b, p, d in
                    let s = Wrong34_ends_at_div_final.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "straight-line", because: "on the straight line of the chapter's OneCycle",
                answer { b, p, d in
                    let s = Wrong34_straight_line.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "wrong-way", because: "the warm-up runs the wrong way",
                answer { b, p, d in
                    let s = Wrong34_wrong_way.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "default-settings", because: "use the schedule's own pctStart, not the default",
                answer { b, p, d in
                    let s = Wrong34_default_settings.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "decay-not-stretched", because: "does the decay's progress reach 1 at pct 1?",
                answer { b, p, d in
                    let s = Wrong34_decay_not_stretched.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "decays-to-start", because: "the decay ends at 0, not where the warm-up started",
                answer { b, p, d in
                    let s = Wrong34_decays_to_start.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "warms-up-from-zero", because: "the warm-up starts at baseLR / divStart",
                answer { b, p, d in
                    let s = Wrong34_warms_up_from_zero.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                }),
            WrongAnswer(
                "records-rates-too", because: "does lr(at:) append to lrs too?",
                answer { b, p, d in
                    let s = Wrong34_records_rates_too.CosineOneCycle(b, pctStart: p, divStart: d)
                    return ScheduleUnderTest(s, lr: { s.lr(at: $0) }, lrs: { s.lrs })
                })
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
