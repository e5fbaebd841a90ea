import Checks25
import ExerciseSupport
import Reference25
import Testing
import Wrong25_ignores_nan
import Wrong25_keeps_old_records
import Wrong25_no_start_rate
import Wrong25_records_learner_rate
import Wrong25_records_past_max
import Wrong25_steps_during_validation
import Wrong25_stops_at_max

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
                    }))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
