// Compiled into the module of each known-wrong answer to exercise R4 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import ChecksR4
import ExerciseSupport
import Shared

/// The checks of exercise R4 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(MomentumAnswer(make: { MomentumSGD($0, lr: $1, momentum: $2, wd: $3) }))
}
