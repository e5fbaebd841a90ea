import ChecksR3
import ExerciseSupport
import ReferenceR3
import Testing
import WrongR3_blends_cross_entropy
import WrongR3_labels_not_mixed
import WrongR3_lambda_drawn_twice
import WrongR3_lambda_once_per_fit
import WrongR3_lambda_swapped_in_loss
import WrongR3_last_row_not_mixed
import WrongR3_loss_not_given_back
import WrongR3_mixed_with_itself
import WrongR3_mixes_first_fit_only
import WrongR3_partners_once_per_fit
import WrongR3_restores_cross_entropy
import WrongR3_uniform_lambda
import WrongR3_validation_mixed

/// Exercise R3's checks against its reference answer and its known-wrong answers.
@Suite("Exercise R3: known-wrong answers are rejected, the reference accepted")
struct WrongAnswersR3 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "R3",
        reference: { checks(MixupAnswer(callback: { ReferenceR3.Mixup(alpha: $0, seed: $1) })) },
        wrong: [
            WrongAnswer(
                "labels-not-mixed", because: "the labels are not mixed",
                checks(MixupAnswer(callback: { WrongR3_labels_not_mixed.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "lambda-drawn-twice", because: "use the same λ",
                checks(MixupAnswer(callback: { WrongR3_lambda_drawn_twice.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "mixed-with-itself", because: "blended with another row of the batch",
                checks(MixupAnswer(callback: { WrongR3_mixed_with_itself.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "uniform-lambda", because: "do not look like draws from Beta(α, α)",
                checks(MixupAnswer(callback: { WrongR3_uniform_lambda.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "validation-mixed", because: "a validation batch was changed",
                checks(MixupAnswer(callback: { WrongR3_validation_mixed.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "loss-not-given-back", because: "give the learner its own loss function back",
                checks(MixupAnswer(callback: { WrongR3_loss_not_given_back.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "lambda-once-per-fit", because: "do not look like draws from Beta(α, α)",
                checks(MixupAnswer(callback: { WrongR3_lambda_once_per_fit.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "lambda-swapped-in-loss", because: "the other way round, as the inputs",
                checks(MixupAnswer(callback: { WrongR3_lambda_swapped_in_loss.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "last-row-not-mixed", because: "partners should be a permutation",
                checks(MixupAnswer(callback: { WrongR3_last_row_not_mixed.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "partners-once-per-fit", because: "every training batch pairs its rows the same way",
                checks(MixupAnswer(callback: { WrongR3_partners_once_per_fit.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "mixes-first-fit-only", because: "the labels are mixed in the first fit only",
                checks(MixupAnswer(callback: { WrongR3_mixes_first_fit_only.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "restores-cross-entropy", because: "give back the loss function the learner had before the fit",
                checks(MixupAnswer(callback: { WrongR3_restores_cross_entropy.Mixup(alpha: $0, seed: $1) }))),
            WrongAnswer(
                "blends-cross-entropy", because: "not the learner's own loss function",
                checks(MixupAnswer(callback: { WrongR3_blends_cross_entropy.Mixup(alpha: $0, seed: $1) })))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
