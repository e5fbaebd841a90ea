import ChecksR4
import ExerciseSupport
import ReferenceR4
import Testing
import WrongR4_dampened
import WrongR4_first_velocity_times_momentum
import WrongR4_gradients_not_zeroed
import WrongR4_index_among_params_with_gradients
import WrongR4_lr_inside_velocity
import WrongR4_nesterov
import WrongR4_one_velocity_for_all
import WrongR4_velocity_recreated
import WrongR4_velocity_updated_after_step
import WrongR4_weight_decay_outside_velocity

/// Exercise R4's checks against its reference answer and its known-wrong answers.
@Suite("Exercise R4: known-wrong answers are rejected, the reference accepted")
struct WrongAnswersR4 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "R4",
        reference: { checks(MomentumAnswer(make: { ReferenceR4.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) })) },
        wrong: [
            WrongAnswer(
                "lr-inside-velocity", because: "the learning rate inside the velocity",
                checks(
                    MomentumAnswer(make: { WrongR4_lr_inside_velocity.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) }))),
            WrongAnswer(
                "velocity-recreated", because: "the velocity is not kept from one step to the next",
                checks(
                    MomentumAnswer(make: { WrongR4_velocity_recreated.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) }))),
            WrongAnswer(
                "one-velocity-for-all", because: "share one velocity",
                checks(
                    MomentumAnswer(make: { WrongR4_one_velocity_for_all.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) })
                )),
            WrongAnswer(
                "gradients-not-zeroed", because: "the gradients pile up",
                checks(
                    MomentumAnswer(make: { WrongR4_gradients_not_zeroed.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) })
                )),
            WrongAnswer(
                "weight-decay-outside-velocity", because: "weight decay is applied outside the velocity",
                checks(
                    MomentumAnswer(make: {
                        WrongR4_weight_decay_outside_velocity.MomentumSGD($0, lr: $1, momentum: $2, wd: $3)
                    }))),
            WrongAnswer(
                "dampened", because: "(dampening)",
                checks(MomentumAnswer(make: { WrongR4_dampened.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) }))),
            WrongAnswer(
                "index-among-params-with-gradients",
                because: "is it looked up by the parameter's place among those that have a gradient",
                checks(
                    MomentumAnswer(make: {
                        WrongR4_index_among_params_with_gradients.MomentumSGD($0, lr: $1, momentum: $2, wd: $3)
                    }))),
            WrongAnswer(
                "nesterov", because: "Nesterov's momentum",
                checks(
                    MomentumAnswer(make: { WrongR4_nesterov.MomentumSGD($0, lr: $1, momentum: $2, wd: $3) }))),
            WrongAnswer(
                "first-velocity-times-momentum", because: "the first velocity should be the first gradient itself",
                checks(
                    MomentumAnswer(make: {
                        WrongR4_first_velocity_times_momentum.MomentumSGD($0, lr: $1, momentum: $2, wd: $3)
                    }))),
            WrongAnswer(
                "velocity-updated-after-step", because: "each step uses the velocity of the step before",
                checks(
                    MomentumAnswer(make: {
                        WrongR4_velocity_updated_after_step.MomentumSGD($0, lr: $1, momentum: $2, wd: $3)
                    })))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
