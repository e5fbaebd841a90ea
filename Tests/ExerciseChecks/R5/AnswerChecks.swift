// Compiled into the module of each known-wrong answer to exercise R5 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import ChecksR5
import ExerciseSupport
import Shared

/// The checks of exercise R5 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(LabelSmoothingAnswer(loss: { eps in LabelSmoothingCrossEntropy(eps: eps).callAsFunction }))
}
