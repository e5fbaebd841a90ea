import Checks25
import ExerciseSupport
import Reference25
import Testing
import Wrong25_counter_not_reset
import Wrong25_ignores_nan
import Wrong25_keeps_old_records
import Wrong25_linear_growth
import Wrong25_multiplies_after_recording
import Wrong25_no_start_rate
import Wrong25_records_learner_rate
import Wrong25_records_past_max
import Wrong25_records_running_average
import Wrong25_removes_itself_after_fit
import Wrong25_steps_during_validation
import Wrong25_stop_flag_not_reset
import Wrong25_stops_at_max
import Wrong25_stops_on_divergence

/// Exercise 25's checks against its reference answer and its known-wrong answers.
@Suite("Exercise 25: known-wrong answers are rejected, the reference accepted")
struct WrongAnswers25 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "25",
        reference: {
            checks(
                PlainCallbackAnswer { s, m, f in
                    let x = Reference25.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                    return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                })
        },
        wrong: [
            WrongAnswer(
                "multiplies-after-recording", because: "the first rate recorded is startLR itself",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_multiplies_after_recording.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "records-running-average", because: "record learner.loss of the training batch just run",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_records_running_average.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "counter-not-reset", because: "after a second fit",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_counter_not_reset.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "linear-growth", because: "startLR × factor before each",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_linear_growth.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "stops-on-divergence", because: "only a rate past maxLR or a NaN loss ends it",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_stops_on_divergence.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "keeps-old-records", because: "does beforeFit empty the records?",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_keeps_old_records.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "steps-during-validation", because: "validation batches must leave the rate alone",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_steps_during_validation.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "records-past-max", because: "which is past maxLR",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_records_past_max.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "stops-at-max", because: "stopped when the rate reached maxLR (8) exactly",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_stops_at_max.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "ignores-nan", because: "a NaN loss was recorded",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_ignores_nan.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "records-learner-rate", because: "the rate to record is the optimiser's",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_records_learner_rate.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "no-start-rate", because: "does beforeFit set the learner's rate to startLR?",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_no_start_rate.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "removes-itself-after-fit", because: "is it still in learner.cbs?",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_removes_itself_after_fit.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    })),
            WrongAnswer(
                "stop-flag-not-reset", because: "a flag that the search is over?",
                checks(
                    PlainCallbackAnswer { s, m, f in
                        let x = Wrong25_stop_flag_not_reset.PlainLRFinder(startLR: s, maxLR: m, factor: f)
                        return FinderUnderTest(x, lrs: { x.lrs }, losses: { x.losses })
                    }))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
