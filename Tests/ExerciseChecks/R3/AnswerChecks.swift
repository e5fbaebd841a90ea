// Compiled into the module of each known-wrong answer to exercise R3 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import ChecksR3
import ExerciseSupport
import Shared

/// The checks of exercise R3 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(MixupAnswer(callback: { Mixup(alpha: $0, seed: $1) }))
}
