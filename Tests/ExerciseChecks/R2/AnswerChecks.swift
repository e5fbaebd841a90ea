// Compiled into the module of each known-wrong answer to exercise R2 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import ChecksR2
import ExerciseSupport
import Shared

/// The checks of exercise R2 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    func bn(_ m: Module) -> BatchNorm2d { m as! BatchNorm2d }
    return checks(
        BatchNormAnswer(
            make: { BatchNorm2d($0, momentum: $1, eps: $2) }, weight: { bn($0).weight }, bias: { bn($0).bias },
            runningMean: { bn($0).runningMean }, runningVar: { bn($0).runningVar }))
}
