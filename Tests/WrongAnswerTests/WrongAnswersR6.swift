import ChecksR6
import ExerciseSupport
import ReferenceR6
import Testing
import WrongR6_ascent_scaled_by_lr
import WrongR6_descent_direction
import WrongR6_first_batch_captured
import WrongR6_first_batch_labels
import WrongR6_first_pass_gradient
import WrongR6_gradients_added
import WrongR6_per_parameter_norm
import WrongR6_squared_norm
import WrongR6_stale_gradient
import WrongR6_unnormalised_ascent
import WrongR6_weights_not_restored
import WrongR6_wraps_every_batch
import WrongR6_wraps_first_fit_only

/// Exercise R6's checks against its reference answer and its known-wrong answers.
@Suite("Exercise R6: known-wrong answers are rejected, the reference accepted")
struct WrongAnswersR6 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "R6",
        reference: { checks(SAMAnswer(callback: { ReferenceR6.SAM(rho: $0) })) },
        wrong: [
            WrongAnswer(
                "per-parameter-norm", because: "scaled by its own gradient's norm",
                checks(SAMAnswer(callback: { WrongR6_per_parameter_norm.SAM(rho: $0) }))),
            WrongAnswer(
                "weights-not-restored", because: "the weights were not put back",
                checks(SAMAnswer(callback: { WrongR6_weights_not_restored.SAM(rho: $0) }))),
            WrongAnswer(
                "first-pass-gradient", because: "the base optimiser got the first pass's gradient",
                checks(SAMAnswer(callback: { WrongR6_first_pass_gradient.SAM(rho: $0) }))),
            WrongAnswer(
                "descent-direction", because: "the perturbation goes down the gradient",
                checks(SAMAnswer(callback: { WrongR6_descent_direction.SAM(rho: $0) }))),
            WrongAnswer(
                "gradients-added", because: "the gradients of the two passes add up",
                checks(SAMAnswer(callback: { WrongR6_gradients_added.SAM(rho: $0) }))),
            WrongAnswer(
                "wraps-every-batch", because: "SAM needs exactly two passes per batch",
                checks(SAMAnswer(callback: { WrongR6_wraps_every_batch.SAM(rho: $0) }))),
            WrongAnswer(
                "unnormalised-ascent", because: "but ε has length",
                checks(SAMAnswer(callback: { WrongR6_unnormalised_ascent.SAM(rho: $0) }))),
            WrongAnswer(
                "squared-norm", because: "where it should have length ρ",
                checks(SAMAnswer(callback: { WrongR6_squared_norm.SAM(rho: $0) }))),
            WrongAnswer(
                "ascent-scaled-by-lr", because: "ε = ρ·g/‖g‖, ‖g‖ the square root",
                checks(SAMAnswer(callback: { WrongR6_ascent_scaled_by_lr.SAM(rho: $0) }))),
            WrongAnswer(
                "stale-gradient", because: "is ε computed from an older",
                checks(SAMAnswer(callback: { WrongR6_stale_gradient.SAM(rho: $0) }))),
            WrongAnswer(
                "wraps-first-fit-only", because: "SAM needs two passes per batch in every fit",
                checks(SAMAnswer(callback: { WrongR6_wraps_first_fit_only.SAM(rho: $0) }))),
            WrongAnswer(
                "first-batch-captured", because: "used the inputs and the label of batch 1",
                checks(SAMAnswer(callback: { WrongR6_first_batch_captured.SAM(rho: $0) }))),
            WrongAnswer(
                "first-batch-labels", because: "used the label of batch 1",
                checks(SAMAnswer(callback: { WrongR6_first_batch_labels.SAM(rho: $0) })))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
