import ChecksR2
import ExerciseSupport
import ReferenceR2
import Testing
import WrongR2_batch_statistics_in_eval
import WrongR2_biased_running_variance
import WrongR2_detached_statistics
import WrongR2_eps_outside_sqrt
import WrongR2_eval_updates_statistics
import WrongR2_eval_without_eps
import WrongR2_ignores_eps
import WrongR2_ignores_momentum
import WrongR2_momentum_swapped
import WrongR2_per_image_statistics
import WrongR2_running_statistics_never_updated
import WrongR2_unbiased_normalisation
import WrongR2_unbiasing_by_batch_size
import WrongR2_weight_bias_swapped

/// Exercise R2's checks against its reference answer and its known-wrong answers.
@Suite("Exercise R2: known-wrong answers are rejected, the reference accepted")
struct WrongAnswersR2 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "R2",
        reference: {
            checks(
                BatchNormAnswer(
                    make: { ReferenceR2.BatchNorm2d($0, momentum: $1, eps: $2) },
                    weight: { ($0 as! ReferenceR2.BatchNorm2d).weight },
                    bias: { ($0 as! ReferenceR2.BatchNorm2d).bias },
                    runningMean: { ($0 as! ReferenceR2.BatchNorm2d).runningMean },
                    runningVar: { ($0 as! ReferenceR2.BatchNorm2d).runningVar }))
        },
        wrong: [
            WrongAnswer(
                "detached-statistics", because: "are the statistics computed outside the graph",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_detached_statistics.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_detached_statistics.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_detached_statistics.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_detached_statistics.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_detached_statistics.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "unbiased-normalisation", because: "normalises with the unbiased variance",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_unbiased_normalisation.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_unbiased_normalisation.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_unbiased_normalisation.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_unbiased_normalisation.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_unbiased_normalisation.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "batch-statistics-in-eval", because: "in evaluation the layer normalises with the batch's statistics",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_batch_statistics_in_eval.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_batch_statistics_in_eval.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_batch_statistics_in_eval.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_batch_statistics_in_eval.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_batch_statistics_in_eval.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "running-statistics-never-updated", because: "leaves the running statistics as they were",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_running_statistics_never_updated.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_running_statistics_never_updated.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_running_statistics_never_updated.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_running_statistics_never_updated.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_running_statistics_never_updated.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "momentum-swapped", because: "weighs the batch with 1 − momentum",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_momentum_swapped.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_momentum_swapped.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_momentum_swapped.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_momentum_swapped.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_momentum_swapped.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "eps-outside-sqrt", because: "adds eps after the square root",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_eps_outside_sqrt.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_eps_outside_sqrt.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_eps_outside_sqrt.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_eps_outside_sqrt.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_eps_outside_sqrt.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "biased-running-variance", because: "follows the biased batch variance",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_biased_running_variance.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_biased_running_variance.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_biased_running_variance.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_biased_running_variance.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_biased_running_variance.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "per-image-statistics", because: "takes statistics per image and channel",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_per_image_statistics.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_per_image_statistics.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_per_image_statistics.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_per_image_statistics.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_per_image_statistics.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "ignores-eps", because: "ignores its eps",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_ignores_eps.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_ignores_eps.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_ignores_eps.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_ignores_eps.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_ignores_eps.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "ignores-momentum", because: "whatever momentum the layer was made with",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_ignores_momentum.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_ignores_momentum.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_ignores_momentum.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_ignores_momentum.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_ignores_momentum.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "weight-bias-swapped", because: "uses weight and bias the wrong way round",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_weight_bias_swapped.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_weight_bias_swapped.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_weight_bias_swapped.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_weight_bias_swapped.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_weight_bias_swapped.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "eval-without-eps", because: "leaving eps out",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_eval_without_eps.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_eval_without_eps.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_eval_without_eps.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_eval_without_eps.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_eval_without_eps.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "unbiasing-by-batch-size", because: "unbiased with the number of images",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_unbiasing_by_batch_size.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_unbiasing_by_batch_size.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_unbiasing_by_batch_size.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_unbiasing_by_batch_size.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_unbiasing_by_batch_size.BatchNorm2d).runningVar }))),
            WrongAnswer(
                "eval-updates-statistics", because: "evaluation changed the running statistics",
                checks(
                    BatchNormAnswer(
                        make: { WrongR2_eval_updates_statistics.BatchNorm2d($0, momentum: $1, eps: $2) },
                        weight: { ($0 as! WrongR2_eval_updates_statistics.BatchNorm2d).weight },
                        bias: { ($0 as! WrongR2_eval_updates_statistics.BatchNorm2d).bias },
                        runningMean: { ($0 as! WrongR2_eval_updates_statistics.BatchNorm2d).runningMean },
                        runningVar: { ($0 as! WrongR2_eval_updates_statistics.BatchNorm2d).runningVar })))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
