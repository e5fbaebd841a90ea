import ChecksR5
import ExerciseSupport
import ReferenceR5
import Testing
import WrongR5_eps_on_wrong_term
import WrongR5_naive_log_softmax
import WrongR5_no_log_softmax
import WrongR5_spread_over_other_classes
import WrongR5_spread_summed_over_batch
import WrongR5_sum_over_batch
import WrongR5_sum_over_classes

/// Exercise R5's checks against its reference answer and its known-wrong answers.
@Suite("Exercise R5: known-wrong answers are rejected, the reference accepted")
struct WrongAnswersR5 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "R5",
        reference: {
            checks(LabelSmoothingAnswer(loss: { ReferenceR5.LabelSmoothingCrossEntropy(eps: $0).callAsFunction }))
        },
        wrong: [
            WrongAnswer(
                "eps-on-wrong-term", because: "ε weighs the wrong term",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_eps_on_wrong_term.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    }))),
            WrongAnswer(
                "spread-over-other-classes", because: "over the C − 1 other classes",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_spread_over_other_classes.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    }))),
            WrongAnswer(
                "sum-over-classes", because: "it is their mean",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_sum_over_classes.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    }))),
            WrongAnswer(
                "no-log-softmax", because: "raw scores as if they were log-probabilities",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_no_log_softmax.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    }))),
            WrongAnswer(
                "naive-log-softmax", because: "exp overflows",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_naive_log_softmax.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    }))),
            WrongAnswer(
                "sum-over-batch", because: "the loss is summed over the rows of the batch",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_sum_over_batch.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    }))),
            WrongAnswer(
                "spread-summed-over-batch", because: "the spread term is summed over the rows of the batch",
                checks(
                    LabelSmoothingAnswer(loss: {
                        WrongR5_spread_summed_over_batch.LabelSmoothingCrossEntropy(eps: $0).callAsFunction
                    })))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
